//===- CHeader.h - the C interface of an ahead-of-time compiled model -----===//

#ifndef QNN_TOOLS_QNN_RUN_CHEADER_H
#define QNN_TOOLS_QNN_RUN_CHEADER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qnn {

/// One argument or result of the entry function at the C boundary.
struct CTensor {
  /// NumPy's dtype code of its elements: f4, i1, u1, i2, u2, i4, u4, i8.
  std::string dtype;
  std::vector<int64_t> shape;
  /// The MLIR type, for the comment (quantization parameters included).
  std::string type;
};

/// Writes a C header declaring the object's `_mlir_ciface_<entry>` (MLIR's
/// C interface: one strided memref descriptor per argument, then one per
/// result, which the caller allocates), the runtime's status and thread
/// functions, and `<entry>_run`, which calls it on contiguous buffers.
/// Fails (returns false) for a dtype C has no type for.
bool writeCHeader(llvm::raw_ostream &os, llvm::StringRef entry,
                  llvm::StringRef source, llvm::ArrayRef<CTensor> arguments,
                  llvm::ArrayRef<CTensor> results);

} // namespace mlir::qnn

#endif // QNN_TOOLS_QNN_RUN_CHEADER_H
