//===- xnnpack.cpp - XNNPACK's int8 operators on bench/bench.py's shapes --===//
//
// libqnn_xnnpack_bench.so, which bench/bench.py loads with ctypes to time
// XNNPACK next to torch and qnn on its Linear, Conv2d and depthwise rows.
// Each qnnx_create makes one XNNPACK operator of a case's shape, with
// buffers of made-up codes, and sets it up once; qnnx_run runs it.
//
// The operators are XNNPACK's qs8 ones (signed int8 activations, per-tensor
// int8 weights): in this version (Debian's 0.0~git20220216) they are its
// primary int8 path, and on the AMD EPYC Zen 5 they ran 2 to 10% faster
// than the qu8 ones on every shape of bench.py, at 1 and 2 threads. The
// quantization parameters are bench.py's, shifted to signed codes: activations
// scale 1/127 zero point -128 (quint8's 0), weights scale 0.02 zero point 0,
// int32 bias, output scale 0.5 zero point -64 (quint8's 64), unclamped. Nothing
// is checked against torch: XNNPACK rounds the requantization its own way.
//
//   kind 0, dims {M, K, N}:  fully connected, M x K -> M x N
//   kind 1, dims {C, S}:     convolution NHWC 1 x S x S x C -> C, 3x3,
//                            pad 1, stride 1
//   kind 2, dims {C, S}:     the same with C groups of 1 input and 1 output
//                            channel (depthwise)
//
// With threads > 1 the operator runs on a pthreadpool of that many threads
// (the caller's thread included), with 1 on the calling thread alone.
//
//===----------------------------------------------------------------------===//

#include <pthreadpool.h>
#include <xnnpack.h>

#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

struct Bench {
  xnn_operator_t op = nullptr;
  pthreadpool_t pool = nullptr;
  std::vector<int8_t> input, kernel, output;
  std::vector<int32_t> bias;

  ~Bench() {
    if (op)
      xnn_delete_operator(op);
    if (pool)
      pthreadpool_destroy(pool);
  }
};

char lastError[128] = "";

bool check(xnn_status status, const char *call) {
  if (status == xnn_status_success)
    return true;
  std::snprintf(lastError, sizeof(lastError), "%s: xnn_status %d", call,
                static_cast<int>(status));
  return false;
}

/// Values of a linear congruential generator in [low, low + span).
template <typename T>
void fill(std::vector<T> &values, int low, int span, uint32_t seed) {
  for (T &value : values) {
    seed = seed * 1103515245u + 12345u;
    value = static_cast<T>(low + static_cast<int>((seed >> 16) % span));
  }
}

/// A bias like torch's randn one at scale 1/127 * 0.02: about +-6350.
void fill(std::vector<int32_t> &bias) { fill(bias, -6350, 12701, 7); }

constexpr float inputScale = 1.0f / 127, kernelScale = 0.02f,
                outputScale = 0.5f;
constexpr int8_t inputZeroPoint = -128, outputZeroPoint = -64;

bool create(Bench &bench, int kind, const int64_t *dims) {
  if (kind == 0) {
    size_t m = dims[0], k = dims[1], n = dims[2];
    bench.input.resize(m * k);
    bench.kernel.resize(n * k); // N x K, as torch's weight.
    bench.output.resize(m * n);
    bench.bias.resize(n);
    fill(bench.input, -128, 128, 1); // quint8 codes 0..127.
    fill(bench.kernel, -127, 255, 2);
    fill(bench.bias);
    return check(xnn_create_fully_connected_nc_qs8(
                     k, n, k, n, inputZeroPoint, inputScale, kernelScale,
                     bench.kernel.data(), bench.bias.data(), outputZeroPoint,
                     outputScale, INT8_MIN, INT8_MAX, 0, &bench.op),
                 "xnn_create_fully_connected_nc_qs8") &&
           check(xnn_setup_fully_connected_nc_qs8(
                     bench.op, m, bench.input.data(), bench.output.data(),
                     bench.pool),
                 "xnn_setup_fully_connected_nc_qs8");
  }
  size_t channels = dims[0], size = dims[1];
  bool depthwise = kind == 2;
  uint32_t groups = depthwise ? channels : 1;
  size_t perGroup = depthwise ? 1 : channels;
  bench.input.resize(size * size * channels);
  bench.kernel.resize(channels * 3 * 3 * perGroup); // G x O x 3 x 3 x I.
  bench.output.resize(size * size * channels);
  bench.bias.resize(channels);
  fill(bench.input, -128, 128, 1);
  fill(bench.kernel, -127, 255, 2);
  fill(bench.bias);
  return check(xnn_create_convolution2d_nhwc_qs8(
                   /*padding top, right, bottom, left=*/1, 1, 1, 1,
                   /*kernel=*/3, 3, /*subsampling=*/1, 1, /*dilation=*/1, 1,
                   groups, perGroup, perGroup, channels, channels,
                   inputZeroPoint, inputScale, kernelScale, bench.kernel.data(),
                   bench.bias.data(), outputZeroPoint, outputScale, INT8_MIN,
                   INT8_MAX, 0, &bench.op),
               "xnn_create_convolution2d_nhwc_qs8") &&
         check(xnn_setup_convolution2d_nhwc_qs8(
                   bench.op, 1, size, size, bench.input.data(),
                   bench.output.data(), bench.pool),
               "xnn_setup_convolution2d_nhwc_qs8");
}

} // namespace

extern "C" {

/// The operator of case `kind` (above) at `threads` threads, set up to run;
/// null if XNNPACK refuses it (qnnx_error says why).
void *qnnx_create(int kind, const int64_t *dims, int threads) {
  static const xnn_status initialized = xnn_initialize(nullptr);
  if (!check(initialized, "xnn_initialize"))
    return nullptr;
  if (kind < 0 || kind > 2) {
    std::snprintf(lastError, sizeof(lastError), "unknown kind %d", kind);
    return nullptr;
  }
  auto *bench = new Bench;
  if (threads > 1 && !(bench->pool = pthreadpool_create(threads))) {
    std::snprintf(lastError, sizeof(lastError), "pthreadpool_create failed");
    delete bench;
    return nullptr;
  }
  if (!create(*bench, kind, dims)) {
    delete bench;
    return nullptr;
  }
  return bench;
}

/// One run of the operator; its xnn_status (0: success).
int qnnx_run(void *bench) {
  auto *b = static_cast<Bench *>(bench);
  return static_cast<int>(xnn_run_operator(b->op, b->pool));
}

void qnnx_destroy(void *bench) { delete static_cast<Bench *>(bench); }

/// Why the last qnnx_create failed.
const char *qnnx_error() { return lastError; }
}
