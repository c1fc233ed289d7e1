//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//

#ifndef QNN_TOOLS_QNN_RUN_NPY_H
#define QNN_TOOLS_QNN_RUN_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qnn {

/// An array read from or written to a .npy file: C order, little endian.
struct NpyArray {
  /// NumPy's type string without the byte order: "f4", "u1", "i1", "i4".
  std::string dtype;
  llvm::SmallVector<int64_t> shape;
  std::vector<char> data;

  int64_t numElements() const;
  /// Bytes per element of `dtype`.
  static int64_t elementSize(llvm::StringRef dtype);
};

/// Reads a version 1, 2 or 3 .npy file of a supported dtype; fails with a
/// message naming the file on any malformed, truncated or unsupported input.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Writes a version 1.0 .npy file.
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace mlir::qnn

#endif // QNN_TOOLS_QNN_RUN_NPY_H
