//===- Activations.h - qnn's activation table -------------------*- C++ -*-===//
//
// An activation (relu, leaky_relu, sigmoid, hardswish, ...) is one entry of
// one table (lib/Dialect/QNN/IR/Activations.cpp): its parameters, its float
// formula as IR (the reference form that --qnn-decompose builds and
// --qnn-fuse recognises), its float formula as PyTorch computes it on a
// scalar, and per engine what an 8-bit code becomes (a 256-entry table
// computed at compile time) or the integer clamp it is. The standalone
// qnn.activation op, the post-ops of linear/conv/add, the verifier, the
// decompose and fuse passes and the lowering all read that entry; adding an
// activation is adding an entry.
//
// docs/numerics/activations.md gives the formulas.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_ACTIVATIONS_H
#define QNN_DIALECT_QNN_IR_ACTIVATIONS_H

#include "qnn/Dialect/QNN/IR/Engines.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace mlir::qnn {

/// A named float parameter of an activation and its default value.
struct ActivationParam {
  llvm::StringLiteral name;
  float defaultValue;
};

/// Builds an activation's float formula on a float tensor. The parameters
/// are obtained through `param(i)` so that the same builder also produces
/// the template --qnn-fuse matches (where they are placeholders).
class ActivationBuilder {
public:
  ActivationBuilder(OpBuilder &b, Location loc, Type type,
                    ArrayRef<Value> params, Value weight)
      : b(b), loc(loc), type(type), params(params), weight(weight) {}

  /// Parameter `i`, as a splat tensor of the value's type.
  Value param(unsigned i) const { return params[i]; }
  /// The per-channel weight (prelu), broadcast to the value's shape.
  Value getWeight() const { return weight; }
  /// A splat constant of the value's type.
  Value constant(float value);

  Value max(Value a, Value b);     // arith.maximumf
  Value min(Value a, Value b);     // arith.minimumf
  Value add(Value a, Value b);     // arith.addf
  Value sub(Value a, Value b);     // arith.subf
  Value mul(Value a, Value b);     // arith.mulf
  Value div(Value a, Value b);     // arith.divf
  Value exp(Value a);              // math.exp
  Value tanh(Value a);             // math.tanh
  Value greater(Value a, Value b); // arith.cmpf ogt
  Value select(Value condition, Value a, Value b);

private:
  OpBuilder &b;
  Location loc;
  Type type;
  ArrayRef<Value> params;
  Value weight;
};

/// What an 8-bit code's image is computed from.
struct ActivationContext {
  const EngineInfo &engine;
  /// The parameters, in the entry's order.
  ArrayRef<float> params;
  QuantParams input, output;
  /// This channel's weight code and the weight's quantization (prelu).
  int64_t weightCode = 0;
  const QuantParams *weight = nullptr;
  /// ATen's scalar loop rather than its vector body: for the last elements
  /// of each chunk ATen computes with plain dequantization and glibc's
  /// transcendentals (docs/numerics/activations.md).
  bool scalarPath = false;
};

/// One activation.
struct ActivationDef {
  llvm::StringLiteral name = "";
  llvm::StringLiteral summary = "";
  ArrayRef<ActivationParam> params;
  /// Takes a per-channel quantized weight operand (prelu).
  bool hasWeight = false;
  /// The float formula of the activation on a dequantized value, in f32
  /// arithmetic (`weight`: the channel's dequantized weight); the default
  /// of `quantized`.
  float (*reference)(float x, ArrayRef<float> params, float weight) = nullptr;
  /// The same formula built as IR on a float tensor.
  Value (*build)(ActivationBuilder &b, Value x) = nullptr;
  /// For an activation that is a clamp of the codes when the input and
  /// output types are equal: the [low, high] codes for `params` in `type`.
  std::optional<std::pair<int64_t, int64_t>> (*clamp)(
      ArrayRef<float> params, const QuantParams &type) = nullptr;
  /// What an 8-bit input code becomes under an engine, as PyTorch's kernel
  /// computes it. Null: PyTorch's quantize of `reference` of the
  /// dequantized code.
  int64_t (*quantized)(const ActivationContext &context,
                       int64_t code) = nullptr;
  /// Whether torch computes it with ATen's vectorized kernels, whose last
  /// elements take a scalar loop that rounds differently (then an op can
  /// say which elements those are).
  bool (*hasScalarPath)(const EngineInfo &engine,
                        const QuantParams &input) = nullptr;
  /// Checks the parameters (null: any value is valid).
  LogicalResult (*verifyParams)(function_ref<InFlightDiagnostic()> emitError,
                                ArrayRef<float> params) = nullptr;
  /// Checks an engine's restrictions on the input and output types (null:
  /// none).
  LogicalResult (*verifyTypes)(function_ref<InFlightDiagnostic()> emitError,
                               const EngineInfo &engine, ArrayRef<float> params,
                               const QuantParams &input,
                               const QuantParams &output) = nullptr;

  /// The index of the parameter called `name`, if any.
  std::optional<unsigned> getParamIndex(llvm::StringRef name) const;
};

/// The table, in the order --qnn-fuse tries the entries (the more specific
/// of two formulas that coincide first: relu6 before hardtanh).
ArrayRef<ActivationDef> getAllActivations();

/// Whether ATen's vector bodies on this host compute expf/tanhf with SLEEF
/// (Sleef_expf8_u10 and its scalar twin Sleef_expf1_u10purecfma give the
/// same bits), else with glibc, as its scalar loops always do.
bool atenVectorsUseSleef();

/// The entry named `name`, or null.
const ActivationDef *lookupActivation(llvm::StringRef name);

/// The output code of `code` under the activation (its `quantized` hook or
/// the default).
int64_t applyActivation(const ActivationDef &def,
                        const ActivationContext &context, int64_t code);

/// The clamp an activation is on the codes of `input` when the output type
/// is the same, if it is one.
std::optional<std::pair<int64_t, int64_t>>
getActivationClamp(const ActivationDef &def, ArrayRef<float> params,
                   const QuantParams &input, const QuantParams &output);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_IR_ACTIVATIONS_H
