//===- QNNAttrs.td - qnn enums and attributes --------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_TD
#define QNN_DIALECT_QNN_IR_QNNATTRS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def QNN_PaddingMode_Zeros : I32EnumAttrCase<"zeros", 0>;
def QNN_PaddingMode_Reflect : I32EnumAttrCase<"reflect", 1>;
def QNN_PaddingMode_Replicate : I32EnumAttrCase<"replicate", 2>;
def QNN_PaddingMode_Circular : I32EnumAttrCase<"circular", 3>;

def QNN_PaddingModeAttr : I32EnumAttr<"PaddingMode",
    "how a convolution pads its input (PyTorch's padding_mode)",
    [QNN_PaddingMode_Zeros, QNN_PaddingMode_Reflect, QNN_PaddingMode_Replicate,
     QNN_PaddingMode_Circular]> {
  let cppNamespace = "::mlir::qnn";
}

def QNN_BagMode_Sum : I32EnumAttrCase<"sum", 0>;
def QNN_BagMode_Mean : I32EnumAttrCase<"mean", 1>;
def QNN_BagMode_Max : I32EnumAttrCase<"max", 2>;

def QNN_BagModeAttr : I32EnumAttr<"BagMode",
    "how an embedding bag reduces its rows (PyTorch's mode)",
    [QNN_BagMode_Sum, QNN_BagMode_Mean, QNN_BagMode_Max]> {
  let cppNamespace = "::mlir::qnn";
}

def QNN_FloatActivation_Sigmoid : I32EnumAttrCase<"sigmoid", 0>;
def QNN_FloatActivation_Tanh : I32EnumAttrCase<"tanh", 1>;

def QNN_FloatActivationAttr : I32EnumAttr<"FloatActivation",
    "a float function PyTorch's kernels do not round correctly",
    [QNN_FloatActivation_Sigmoid, QNN_FloatActivation_Tanh]> {
  let cppNamespace = "::mlir::qnn";
}

def QNN_Numerics_OneDNN : I32EnumAttrCase<"onednn", 0>;
def QNN_Numerics_QNNPACK : I32EnumAttrCase<"qnnpack", 1>;
// onednn as PyTorch runs it on x86 CPUs without VNNI: the u8 x s8 products
// of Linear and single-group Conv are summed in int16-saturated pairs
// (vpmaddubsw) before the int32 accumulation.
def QNN_Numerics_OneDNNNoVNNI : I32EnumAttrCase<"onednn_no_vnni", 2>;

// Spelled as a string module attribute (`qnn.numerics = "onednn"`); the enum
// gives the C++ side a closed set to switch over.
def QNN_Numerics : I32EnumAttr<"Numerics",
    "PyTorch quantized engine whose integer arithmetic is reproduced",
    [QNN_Numerics_OneDNN, QNN_Numerics_QNNPACK, QNN_Numerics_OneDNNNoVNNI]> {
  let cppNamespace = "::mlir::qnn";
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def QNN_ActivationAttr : AttrDef<QNN_Dialect, "Activation"> {
  let mnemonic = "activation";
  let summary = "An activation function and its parameters";
  let description = [{
    One entry of qnn's activation table (`Activations.h`): its name and the
    values of its float parameters, in the entry's order. The entry gives
    the float formula, the integer lowering per engine and the checks; the
    attribute only says which entry and with which parameters.

    Spelled as the name followed by the parameters that differ from their
    defaults: `relu`, `leaky_relu(negative_slope = 0.2)`,
    `hardtanh(min_val = -1.0, max_val = 1.0)`; as an attribute
    `#qnn.activation<elu(alpha = 2.0)>`.
  }];
  let parameters = (ins
    "const ::mlir::qnn::ActivationDef *":$def,
    "::mlir::DenseF32ArrayAttr":$paramValues);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "const ::mlir::qnn::ActivationDef *":$def,
                     "::llvm::ArrayRef<float>":$params), [{
      return $_get($_ctxt, def,
                   ::mlir::DenseF32ArrayAttr::get($_ctxt, params));
    }]>
  ];
  let extraClassDeclaration = [{
    /// The parameter values, in the entry's order.
    ::llvm::ArrayRef<float> getParams() const {
      return getParamValues().asArrayRef();
    }
    /// The activation named `name` with the given parameters (unnamed ones
    /// take their defaults); null if there is no such activation.
    static ActivationAttr get(::mlir::MLIRContext *context,
                              ::llvm::StringRef name,
                              ::llvm::ArrayRef<std::pair<::llvm::StringRef, float>>
                                  params = {});
    ::llvm::StringRef getName() const;
    /// The value of the parameter called `name` (which must exist).
    float getParam(::llvm::StringRef name) const;
    /// Prints `name(param = value, ...)` without the attribute's prefix.
    void printBody(::mlir::AsmPrinter &printer) const;
    /// Parses what printBody prints.
    static ActivationAttr parseBody(::mlir::AsmParser &parser);
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_TD
