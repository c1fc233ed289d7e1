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

} // namespace
