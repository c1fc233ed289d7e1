//===- Engines.cpp - the numerics qnn reproduces, as data -----------------===//

#include "qnn/Dialect/QNN/IR/Engines.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnn;

static constexpr double kNoLimit = std::numeric_limits<double>::infinity();

/// One entry per `Numerics` case, in enum order (checked by getEngineInfo).
static const EngineInfo kEngines[] = {
    {Numerics::onednn, "onednn",
     "PyTorch's onednn engine with exact int32 sums (CPUs with VNNI)",
     /*weightZeroPointMustBeZero=*/true, /*saturatingPairs=*/false,
     /*signedContractionInputs=*/false, RequantizeFormula::OneDNNFloatBias,
     DynamicFormula::OneDNNScaledBias,
     /*qnnpackActivations=*/false,
     /*qnnpackPooling=*/false,
     // onednn has no add kernel: ATen's runs.
     AddFormula::AtenFloat, AddFormula::AtenFloat, AddFormula::AtenFloat,
     /*pairing=*/{}},
    {Numerics::qnnpack, "qnnpack", "PyTorch's qnnpack engine",
     /*weightZeroPointMustBeZero=*/false, /*saturatingPairs=*/false,
     // qint8 Linear/Conv inputs go through XNNPACK in torch, whose
     // requantization is not reproduced.
     /*signedContractionInputs=*/false, RequantizeFormula::QnnpackFixedBias,
     DynamicFormula::QnnpackScale,
     /*qnnpackActivations=*/true,
     /*qnnpackPooling=*/true,
     // QNNPACK adds same-shape quint8 tensors; broadcasting falls back to
     // ATen; qint8 goes to XNNPACK.
     AddFormula::QnnpackFixedPoint, AddFormula::AtenFloat,
     AddFormula::XnnpackFixedPoint, /*pairing=*/{}},
    {Numerics::onednn_no_vnni,
     "onednn",
     "PyTorch's onednn engine on x86 CPUs without VNNI: u8 x s8 products "
     "summed in int16-saturated pairs",
     /*weightZeroPointMustBeZero=*/true,
     /*saturatingPairs=*/true,
     /*signedContractionInputs=*/false,
     RequantizeFormula::OneDNNFloatBias,
     DynamicFormula::OneDNNScaledBias,
     /*qnnpackActivations=*/false,
     /*qnnpackPooling=*/false,
     AddFormula::AtenFloat,
     AddFormula::AtenFloat,
     AddFormula::AtenFloat,
     // oneDNN 2.6 without VNNI: gemm_info.cpp's K-blocks for AVX2 (256,
     // 384); jit_uni_x8s8s32x_fwd_kernel's channel blocks of 4.
     /*pairing=*/
     {/*singleBlockMaxK=*/256, /*blockK=*/384, /*groupedChannelMultiple=*/4}},
};

ArrayRef<EngineInfo> mlir::qnn::getAllEngines() { return kEngines; }

SmallVector<int64_t> EngineInfo::getPairBlockPadding(int64_t k) const {
  SmallVector<int64_t> positions;
  if (!saturatingPairs || k <= pairing.singleBlockMaxK)
    return positions;
  int64_t block = k < 2 * pairing.blockK ? (k + 1) / 2 : pairing.blockK;
  for (int64_t end = block; end < k; end += block)
    if (block % 2)
      positions.push_back(end);
  return positions;
}

const AddFormulaInfo &mlir::qnn::getAddFormulaInfo(AddFormula formula) {
  static const AddFormulaInfo kAten = {0, false, 0.0, kNoLimit};
  // pytorch_qnnp_create_add_nc_q8: "scale ratio must be in [2**-14, 2**8)".
  static const AddFormulaInfo kQnnpack = {21, false, 0x1p-14, 0x1p8};
  // xnn_create_add_nd_qs8: ratios in [2**-10, 2**8).
  static const AddFormulaInfo kXnnpack = {20, true, 0x1p-10, 0x1p8};
  switch (formula) {
  case AddFormula::AtenFloat:
    return kAten;
  case AddFormula::QnnpackFixedPoint:
    return kQnnpack;
  case AddFormula::XnnpackFixedPoint:
    return kXnnpack;
  }
  llvm_unreachable("unknown add formula");
}

const EngineInfo &mlir::qnn::getEngineInfo(Numerics numerics) {
  const EngineInfo &info = kEngines[static_cast<size_t>(numerics)];
  assert(info.numerics == numerics && "kEngines out of enum order");
  return info;
}

const EngineInfo *mlir::qnn::getEngine(Operation *op) {
  for (Operation *cur = op; cur; cur = cur->getParentOp())
    if (auto attr =
            cur->getAttrOfType<StringAttr>(QNNDialect::getNumericsAttrName()))
      if (std::optional<Numerics> numerics = symbolizeNumerics(attr.getValue()))
        return &getEngineInfo(*numerics);
  return nullptr;
}

std::string mlir::qnn::listNumericsNames() {
  std::string names;
  llvm::raw_string_ostream os(names);
  ArrayRef<EngineInfo> engines = getAllEngines();
  for (auto [i, engine] : llvm::enumerate(engines)) {
    if (i)
      os << (i + 1 == engines.size() ? " or " : ", ");
    os << '"' << engine.getName() << '"';
  }
  return names;
}
