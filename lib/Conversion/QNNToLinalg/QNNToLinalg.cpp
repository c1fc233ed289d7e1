//===- QNNToLinalg.cpp - the --convert-qnn-to-linalg pass -----------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

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
    const EngineInfo *engine = getEngine(module);
    Operation *needsEngine = nullptr;
    WalkResult shapes = module.walk([&](Operation *op) {
      if (!needsEngine &&
          isa<LinearOp, ConvOp, ConvTransposeOp, DynamicLinearOp, DynamicConvOp,
              DynamicConvTransposeOp, AddOp, MulOp, AddScalarOp, MulScalarOp,
              AvgPoolOp, AdaptiveAvgPoolOp, MeanOp>(op))
        needsEngine = op;
      if (isa<QNNDialect>(op->getDialect()) &&
          failed(requireStaticShapes(op, "--convert-qnn-to-linalg")))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (shapes.wasInterrupted())
      return signalPassFailure();
    if (needsEngine && !engine) {
      module.emitError()
          << "lowering " << needsEngine->getName()
          << " needs the engine whose arithmetic to reproduce: add a '"
          << QNNDialect::getNumericsAttrName() << "' attribute ("
          << listNumericsNames() << ") to the module";
      return signalPassFailure();
    }

    // A transposed conv is lowered as the conv it equals, but where the
    // engine skips the gaps of the spread input (ConvTransposeToLinalg);
    // a dynamic one always (its input codes cannot saturate the pairs).
    RewritePatternSet convTranspose(ctx);
    populateQNNDynamicConvTransposeToConvPatterns(convTranspose);
    if (!engine || !engine->pairsConvTransposeChannels())
      populateQNNConvTransposeToConvPatterns(convTranspose);
    walkAndApplyPatterns(module, std::move(convTranspose));

    QuantStorageTypeConverter converter;
    ConversionTarget target(*ctx);
    RewritePatternSet patterns(ctx);
    populateQNNStructuralTypeConversionPatterns(converter, patterns, target);
    // Without linear, conv or add no pattern depends on the engine.
    const EngineInfo &patternsEngine =
        engine ? *engine : getEngineInfo(Numerics::onednn);
    populateQNNContractionToLinalgPatterns(converter, patterns, patternsEngine);
    populateQNNDynamicToLinalgPatterns(converter, patterns, patternsEngine);
    populateQNNElementwiseToLinalgPatterns(converter, patterns);
    populateQNNActivationToLinalgPatterns(converter, patterns, engine);
    populateQNNArithmeticToLinalgPatterns(converter, patterns, patternsEngine);
    populateQNNDataMovementToLinalgPatterns(converter, patterns);
    populateQNNNormToLinalgPatterns(converter, patterns);
    populateQNNEmbeddingToLinalgPatterns(converter, patterns);
    populateQNNPoolingToLinalgPatterns(converter, patterns, patternsEngine);
    target.addIllegalDialect<QNNDialect, quant::QuantDialect>();
    // The integer contractions are the target half's
    // (--qnn-lower-integer-contractions).
    target.addLegalOp<IntMatmulOp, IntConvOp>();
    if (failed(applyFullConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    module->removeAttr(QNNDialect::getNumericsAttrName());
  }
};
} // namespace
