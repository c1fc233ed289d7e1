//===- EnginesTest.cpp - the numerics descriptions ------------------------===//

#include "qnn/Dialect/QNN/IR/Engines.h"

#include "gtest/gtest.h"

#include <set>

using namespace mlir::qnn;

namespace {

// Every Numerics case has its description, found under its own name.
TEST(EnginesTest, OneEntryPerNumerics) {
  std::set<std::string> names;
  for (const EngineInfo &engine : getAllEngines()) {
    EXPECT_EQ(&getEngineInfo(engine.numerics), &engine);
    EXPECT_EQ(symbolizeNumerics(engine.getName()), engine.numerics);
    EXPECT_TRUE(names.insert(engine.getName().str()).second);
    EXPECT_TRUE(engine.torchEngine == "onednn" ||
                engine.torchEngine == "qnnpack");
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(getMaxEnumValForNumerics()) + 1);
}

TEST(EnginesTest, ListsNamesForDiagnostics) {
  EXPECT_EQ(listNumericsNames(), R"("onednn", "qnnpack" or "onednn_no_vnni")");
}

// onednn without VNNI restarts Linear's pairs at oneDNN's GEMM K-blocks:
// one block up to 256, halves below 768, blocks of 384 from there; only a
// block of odd length needs a zero after it.
TEST(EnginesTest, PairBlockPadding) {
  const EngineInfo &noVnni = getEngineInfo(Numerics::onednn_no_vnni);
  using Positions = llvm::SmallVector<int64_t>;
  EXPECT_EQ(noVnni.getPairBlockPadding(255), Positions{});
  EXPECT_EQ(noVnni.getPairBlockPadding(256), Positions{});
  EXPECT_EQ(noVnni.getPairBlockPadding(257), Positions{129});
  EXPECT_EQ(noVnni.getPairBlockPadding(258), Positions{129});
  EXPECT_EQ(noVnni.getPairBlockPadding(260), Positions{});
  EXPECT_EQ(noVnni.getPairBlockPadding(765), Positions{383});
  EXPECT_EQ(noVnni.getPairBlockPadding(767), Positions{});
  EXPECT_EQ(noVnni.getPairBlockPadding(768), Positions{});
  EXPECT_EQ(noVnni.getPairBlockPadding(1001), Positions{});
  // Exact engines never pair.
  EXPECT_EQ(getEngineInfo(Numerics::onednn).getPairBlockPadding(261),
            Positions{});
}

// Single-group convs pair; grouped ones when channels per group in and out
// are multiples of 4 (never depthwise); exact engines never.
TEST(EnginesTest, PairsConvChannels) {
  const EngineInfo &noVnni = getEngineInfo(Numerics::onednn_no_vnni);
  EXPECT_TRUE(noVnni.pairsConvChannels(1, 3, 5));
  EXPECT_TRUE(noVnni.pairsConvChannels(2, 4, 8));
  EXPECT_FALSE(noVnni.pairsConvChannels(2, 4, 6));
  EXPECT_FALSE(noVnni.pairsConvChannels(2, 6, 4));
  EXPECT_FALSE(noVnni.pairsConvChannels(8, 1, 1));
  for (Numerics exact : {Numerics::onednn, Numerics::qnnpack})
    EXPECT_FALSE(getEngineInfo(exact).pairsConvChannels(1, 4, 4));
}

} // namespace
