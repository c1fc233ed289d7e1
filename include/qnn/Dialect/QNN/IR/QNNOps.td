//===- QNNOps.td - qnn operations --------------------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_TD
#define QNN_DIALECT_QNN_IR_QNNOPS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "qnn/Dialect/QNN/IR/QNNAttrs.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QNN_QuantizedTensor : RankedTensorOf<[quant_QuantizedType]>;
def QNN_FloatTensor : RankedTensorOf<[AnyFloat]>;
def QNN_F32Tensor : RankedTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// The op families
//===----------------------------------------------------------------------===//

include "qnn/Dialect/QNN/IR/QNNCastOps.td"
include "qnn/Dialect/QNN/IR/QNNContractionOps.td"
include "qnn/Dialect/QNN/IR/QNNElementwiseOps.td"
include "qnn/Dialect/QNN/IR/QNNDataMovementOps.td"
include "qnn/Dialect/QNN/IR/QNNPoolingOps.td"
include "qnn/Dialect/QNN/IR/QNNNormOps.td"
include "qnn/Dialect/QNN/IR/QNNEmbeddingOps.td"
include "qnn/Dialect/QNN/IR/QNNIntegerOps.td"
include "qnn/Dialect/QNN/IR/QNNDynamicOps.td"

#endif // QNN_DIALECT_QNN_IR_QNNOPS_TD
