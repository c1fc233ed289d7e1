//===- QNNDialect.td - qnn dialect definition --------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNDIALECT_TD
#define QNN_DIALECT_QNN_IR_QNNDIALECT_TD

include "mlir/IR/OpBase.td"

def QNN_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::mlir::qnn";
  let summary = "Quantized neural network modules and fused patterns";
  let description = [{
    The `qnn` dialect represents PyTorch's quantized modules (`nnq.Linear`,
    `nnq.Conv2d`, fused `nniq.ConvReLU2d`, ...) as operations on tensors whose
    element types are MLIR `quant` dialect types (`!quant.uniform<...>`).
    Custom quantization ranges (qmin/qmax) are the storage bounds of those
    types, e.g. `!quant.uniform<i8<-127:127>:f32, 0.05>`.

    Operations take PyTorch's layouts: activations are `N x C x spatial...`,
    convolution weights are `O x I/groups x spatial...`, linear weights are
    `N x K`.

    The module attribute `qnn.numerics = "onednn" | "qnnpack"` names the
    PyTorch engine whose integer arithmetic the model reproduces; the verifier
    enforces that engine's restrictions.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    /// Name of the module attribute selecting the engine arithmetic.
    static constexpr ::llvm::StringLiteral getNumericsAttrName() {
      return ::llvm::StringLiteral("qnn.numerics");
    }
    /// Name of the module attribute counting the ops that
    /// --convert-qnn-to-linalg marked for runtime kernel calls.
    static constexpr ::llvm::StringLiteral getRuntimeCallsAttrName() {
      return ::llvm::StringLiteral("qnn.runtime_calls");
    }
    /// Name of the attribute numbering each op marked for a runtime kernel
    /// call (0 to qnn.runtime_calls - 1).
    static constexpr ::llvm::StringLiteral getRuntimeCallAttrName() {
      return ::llvm::StringLiteral("qnn.runtime_call");
    }
  }];
}

class QNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<QNN_Dialect, mnemonic, traits>;

#endif // QNN_DIALECT_QNN_IR_QNNDIALECT_TD
