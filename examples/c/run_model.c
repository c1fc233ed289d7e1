/* Runs a model compiled ahead of time: any model of one input and one
 * result, through the header qnn-run --emit-header writes for it.
 *
 *   qnn-run model.mlir --emit-object model.o --emit-header model.h
 *   cc -O2 -include model.h examples/c/run_model.c model.o \
 *      build/lib/libqnn_runtime_static.a -lsleef -lstdc++ -lm -lpthread
 *   ./a.out [input.bin] > output.bin
 *
 * The input is read from the file given (raw elements, as many as the
 * model takes) or generated (a fixed pattern over the element type's
 * range); the result's raw bytes go to stdout, a checksum to stderr. The
 * bytes are the same on every CPU qnn targets: scripts/test-aarch64.sh
 * compares them between x86-64 and AArch64. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#if QNN_MODEL_ARGUMENTS != 1 || QNN_MODEL_RESULTS != 1
#error "run_model.c drives models of one input and one result"
#endif

int main(int argc, char **argv) {
  qnn_model_arg0_t *input = malloc(sizeof(*input) * QNN_MODEL_ARG0_ELEMENTS);
  qnn_model_result0_t *result =
      malloc(sizeof(*result) * QNN_MODEL_RESULT0_ELEMENTS);
  if (!input || !result)
    return 2;
  if (argc > 1) {
    FILE *f = fopen(argv[1], "rb");
    if (!f || fread(input, sizeof(*input), QNN_MODEL_ARG0_ELEMENTS, f) !=
                  QNN_MODEL_ARG0_ELEMENTS) {
      fprintf(stderr, "cannot read %d elements from %s\n",
              (int)QNN_MODEL_ARG0_ELEMENTS, argv[1]);
      return 1;
    }
    fclose(f);
  } else {
    /* Integers over their whole range; floats in [-4, 4). */
    uint32_t state = 12345;
    for (long i = 0; i < QNN_MODEL_ARG0_ELEMENTS; ++i) {
      state = state * 1103515245u + 12345u;
      input[i] = (qnn_model_arg0_t)((qnn_model_arg0_t)0.5 == 0
                                        ? (state >> 16)
                                        : ((state >> 8) % 8192) / 1024.0 - 4);
    }
  }
  const char *error = qnn_model_run(input, result);
  if (error) {
    fprintf(stderr, "invalid input: %s\n", error);
    return 1;
  }
  fwrite(result, sizeof(*result), QNN_MODEL_RESULT0_ELEMENTS, stdout);
  uint32_t checksum = 0;
  const unsigned char *bytes = (const unsigned char *)result;
  for (size_t i = 0; i < sizeof(*result) * QNN_MODEL_RESULT0_ELEMENTS; ++i)
    checksum = checksum * 31 + bytes[i];
  fprintf(stderr, "%d result elements, checksum %08x\n",
          (int)QNN_MODEL_RESULT0_ELEMENTS, (unsigned)checksum);
  free(input);
  free(result);
  return 0;
}
