//===- QNNAttrs.td - qnn enums and attributes --------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_TD
#define QNN_DIALECT_QNN_IR_QNNATTRS_TD

include "mlir/IR/EnumAttr.td"

def QNN_PostOp_None : I32EnumAttrCase<"none", 0>;
def QNN_PostOp_Relu : I32EnumAttrCase<"relu", 1>;
def QNN_PostOp_LeakyRelu : I32EnumAttrCase<"leaky_relu", 2>;
def QNN_PostOp_Tanh : I32EnumAttrCase<"tanh", 3>;

def QNN_PostOpAttr : I32EnumAttr<"PostOp",
    "activation fused after a quantized op, applied before requantization",
    [QNN_PostOp_None, QNN_PostOp_Relu, QNN_PostOp_LeakyRelu, QNN_PostOp_Tanh]> {
  let cppNamespace = "::mlir::qnn";
}

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

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_TD
