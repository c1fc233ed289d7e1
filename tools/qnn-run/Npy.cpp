//===- Npy.cpp - NumPy .npy files -----------------------------------------===//

#include "Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::qnn;
using llvm::StringRef;

static llvm::Error fail(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError("'" + path + "': " + message);
}

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t NpyArray::elementSize(StringRef dtype) {
  if (dtype.size() != 2 || !llvm::is_contained("fiu", dtype[0]))
    return 0;
  int64_t size = dtype[1] - '0';
  return (size == 1 || size == 2 || size == 4 || size == 8) ? size : 0;
}

/// Finds `'key':` in the header dictionary and returns the text after it.
static std::optional<StringRef> findValue(StringRef header, StringRef key) {
  size_t pos = header.find(("'" + key + "'").str());
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

llvm::Expected<NpyArray> mlir::qnn::readNpy(StringRef path) {
  auto bufferOrError =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!bufferOrError)
    return fail(path, "cannot read: " + bufferOrError.getError().message());
  StringRef bytes = (*bufferOrError)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return fail(path, "not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(bytes[8]) |
                   static_cast<unsigned char>(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(path, "truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength =
          headerLength << 8 | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return fail(path, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLength)
    return fail(path, "truncated header");
  StringRef header = bytes.substr(headerStart, headerLength);

  NpyArray array;
  std::optional<StringRef> descr = findValue(header, "descr");
  if (!descr || !descr->consume_front("'"))
    return fail(path, "header has no dtype");
  StringRef dtype = descr->take_until([](char c) { return c == '\''; });
  if (dtype.size() == 3 && (dtype[0] == '<' || dtype[0] == '|'))
    dtype = dtype.drop_front();
  else if (dtype.size() == 3 && dtype[0] == '>' && dtype[2] != '1')
    return fail(path, "big-endian data is not supported");
  else if (dtype.size() == 3 && dtype[0] == '>')
    dtype = dtype.drop_front();
  if (NpyArray::elementSize(dtype) == 0)
    return fail(path, "unsupported dtype '" + dtype + "'");
  array.dtype = dtype.str();

  std::optional<StringRef> fortran = findValue(header, "fortran_order");
  if (!fortran)
    return fail(path, "header has no fortran_order");
  if (fortran->starts_with("True"))
    return fail(path, "Fortran-order arrays are not supported");

  std::optional<StringRef> shape = findValue(header, "shape");
  if (!shape || !shape->consume_front("("))
    return fail(path, "header has no shape");
  StringRef dims = shape->take_until([](char c) { return c == ')'; });
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0)
      return fail(path, "malformed shape '(" + dims + ")'");
    array.shape.push_back(d);
  }

  size_t dataStart = headerStart + headerLength;
  int64_t expected = array.numElements() * NpyArray::elementSize(array.dtype);
  int64_t actual = static_cast<int64_t>(bytes.size() - dataStart);
  if (actual < expected)
    return fail(path, "truncated data: expected " + llvm::Twine(expected) +
                          " bytes, found " + llvm::Twine(actual));
  if (actual > expected)
    return fail(path, llvm::Twine(actual - expected) +
                          " unexpected bytes after the data");
  array.data.assign(bytes.begin() + dataStart, bytes.end());
  return array;
}

llvm::Error mlir::qnn::writeNpy(StringRef path, const NpyArray &array) {
  std::string header;
  llvm::raw_string_ostream os(header);
  char order = NpyArray::elementSize(array.dtype) == 1 ? '|' : '<';
  os << "{'descr': '" << order << array.dtype
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    os << d << ", ";
  if (!array.shape.empty())
    header.resize(header.size() - (array.shape.size() == 1 ? 1 : 2));
  os << "), }";
  // Pad with spaces so the data starts on a 64-byte boundary.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail(path, "cannot write: " + ec.message());
  out << "\x93NUMPY" << '\x01' << '\x00';
  out << static_cast<char>(header.size() & 0xff)
      << static_cast<char>(header.size() >> 8);
  out << header;
  out.write(array.data.data(), array.data.size());
  if (out.has_error())
    return fail(path, "write failed");
  return llvm::Error::success();
}
