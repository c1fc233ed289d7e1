//===- QNNToLinalg.cpp - the --convert-qnn-to-linalg pass -----------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_CONVERTQNNTOLINALGPASS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {
struct ConvertQNNToLinalgPass
    : qnn::impl::ConvertQNNToLinalgPassBase<ConvertQNNToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::optional<Numerics> numerics = getNumerics(module);
    bool needsEngine = false;
    module.walk([&](Operation *op) {
      if (isa<LinearOp, ConvOp, AddOp>(op))
        needsEngine = true;
    });
    if (needsEngine && !numerics) {
      module.emitError()
          << "lowering linear, conv or add needs the engine whose arithmetic "
             "to reproduce: add a '"
          << QNNDialect::getNumericsAttrName()
          << "' attribute (\"onednn\", \"qnnpack\" or \"onednn_no_vnni\") "
             "to the module";
      return signalPassFailure();
    }

    QuantStorageTypeConverter converter;
    ConversionTarget target(*ctx);
    RewritePatternSet patterns(ctx);
    populateQNNStructuralTypeConversionPatterns(converter, patterns, target);
    Numerics engine = numerics.value_or(Numerics::onednn);
    populateQNNContractionToLinalgPatterns(converter, patterns, engine);
    populateQNNElementwiseToLinalgPatterns(converter, patterns, engine);
    target.addIllegalDialect<QNNDialect, quant::QuantDialect>();
    if (failed(applyFullConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    module->removeAttr(QNNDialect::getNumericsAttrName());
  }
};
} // namespace
