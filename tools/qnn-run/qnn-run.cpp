//===- qnn-run.cpp - JIT-compile a qnn model and run it -------------------===//
//
// qnn-run FILE.mlir [--entry NAME] [--input a.npy ...] [--output o.npy ...]
//         [--print] [--repeat N --time] [--seed S] [--num-threads N]
//         [--emit-object FILE]
//
// Parses and verifies the module, lowers it with --qnn-lower-to-llvm (the
// pipeline qnn-opt registers), JIT-compiles it for the host with MLIR's
// ExecutionEngine and calls the entry function on .npy inputs (quantized
// tensors as their storage integers, floats as float32).
//
//===----------------------------------------------------------------------===//

#include "CHeader.h"
#include "Npy.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"
#include "qnn/InitAll.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory qnnRunCategory("qnn-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::cat(qnnRunCategory),
                                      cl::desc("<model.mlir>"));
static cl::opt<std::string>
    entryName("entry", cl::cat(qnnRunCategory),
              cl::desc("Function to run (default: the only public "
                       "function, else 'forward' or 'main')"));
static cl::list<std::string> inputPaths("input", cl::cat(qnnRunCategory),
                                        cl::desc(".npy file for an argument"),
                                        cl::ZeroOrMore);
static cl::list<std::string> outputPaths("output", cl::cat(qnnRunCategory),
                                         cl::desc(".npy file for a result"),
                                         cl::ZeroOrMore);
static cl::opt<bool> printResults("print", cl::cat(qnnRunCategory),
                                  cl::desc("Print the results"));
static cl::opt<unsigned> repeat("repeat", cl::cat(qnnRunCategory),
                                cl::desc("Number of timed calls"), cl::init(1));
static cl::opt<bool> timeCalls(
    "time", cl::cat(qnnRunCategory),
    cl::desc("Print the median time per call (compilation excluded)"));
static cl::opt<uint64_t>
    seed("seed", cl::cat(qnnRunCategory),
         cl::desc("Seed of the generated inputs when no --input is "
                  "given"),
         cl::init(0));
static cl::opt<std::string>
    emitObject("emit-object", cl::cat(qnnRunCategory),
               cl::desc("Write a position-independent object file of the "
                        "lowered model instead of running it"));
static cl::opt<bool> printSignature(
    "signature", cl::cat(qnnRunCategory),
    cl::desc("Print the entry's arguments and results as JSON and exit"));
static cl::opt<bool> listNumerics(
    "list-numerics", cl::cat(qnnRunCategory),
    cl::desc("Print the numerics qnn reproduces (the values of the "
             "qnn.numerics module attribute) as JSON and exit"));
static cl::opt<int>
    threads("num-threads", cl::cat(qnnRunCategory),
            cl::desc("Threads of the runtime's kernels (default: "
                     "QNN_NUM_THREADS, else the CPUs available)"),
            cl::init(0));
static cl::opt<std::string>
    emitHeader("emit-header", cl::cat(qnnRunCategory),
               cl::desc("Write a C header declaring the entry of the "
                        "--emit-object file"));
static cl::opt<std::string>
    targetTriple("target", cl::cat(qnnRunCategory),
                 cl::desc("Target triple of --emit-object, e.g. "
                          "aarch64-linux-gnu (default: the host)"));
static cl::opt<std::string>
    mcpu("mcpu", cl::cat(qnnRunCategory),
         cl::desc("Target CPU (default: the host's, or generic for "
                  "--target)"));
static cl::opt<std::string>
    mattr("mattr", cl::cat(qnnRunCategory),
          cl::desc("Target features, e.g. -avx512f (default: host)"));

namespace {

[[noreturn]] void fatal(const llvm::Twine &message) {
  llvm::errs() << "qnn-run: error: " << message << "\n";
  std::exit(1);
}

void check(llvm::Error error) {
  if (error)
    fatal(llvm::toString(std::move(error)));
}

/// How a function argument or result is passed: the element type NumPy
/// sees, the shape, and the quantization parameters if it is quantized.
struct TensorSpec {
  std::string dtype;
  SmallVector<int64_t> shape;
  std::optional<qnn::QuantParams> params;
  std::string typeString;
};

TensorSpec describe(Type type, const llvm::Twine &what) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    fatal(what + " must be a statically shaped tensor");
  TensorSpec spec;
  spec.shape.assign(tensorType.getShape().begin(), tensorType.getShape().end());
  llvm::raw_string_ostream(spec.typeString) << type;
  Type element = tensorType.getElementType();
  if (auto qtype = qnn::getQuantizedElementType(type)) {
    spec.params = qnn::QuantParams::get(qtype);
    if (!spec.params)
      fatal(what + " has a non-uniform quantized type");
    unsigned width = spec.params->storageWidth;
    // NumPy has no sub-byte or odd-width integers: the boundary takes 8-,
    // 16- and 32-bit storage.
    if (width != 8 && width != 16 && width != 32)
      fatal(what + " has " + llvm::Twine(width) +
            "-bit storage; qnn-run passes quantized tensors with 8-, 16- "
            "or 32-bit storage");
    spec.dtype =
        (spec.params->isSigned ? "i" : "u") + std::to_string(width / 8);
    return spec;
  }
  if (element.isF32())
    spec.dtype = "f4";
  else if (element.isInteger(8))
    spec.dtype = "i1";
  else if (element.isInteger(16))
    spec.dtype = "i2";
  else if (element.isInteger(32))
    spec.dtype = "i4";
  else if (element.isInteger(64))
    spec.dtype = "i8";
  else
    fatal(what + " has unsupported element type " + llvm::Twine([&] {
            std::string s;
            llvm::raw_string_ostream(s) << element;
            return s;
          }()));
  return spec;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// A deterministic input covering the storage range (quantized) or [-4, 4].
qnn::NpyArray generate(const TensorSpec &spec, std::mt19937_64 &rng) {
  qnn::NpyArray array{spec.dtype, spec.shape, {}};
  int64_t n = array.numElements();
  int64_t size = qnn::NpyArray::elementSize(spec.dtype);
  array.data.resize(n * size);
  for (int64_t i = 0; i < n; ++i) {
    char *dst = array.data.data() + i * size;
    if (spec.dtype == "f4") {
      float v = std::uniform_real_distribution<float>(-4.0f, 4.0f)(rng);
      std::memcpy(dst, &v, 4);
      continue;
    }
    int64_t lo = spec.params ? spec.params->qmin : -128;
    int64_t hi = spec.params ? spec.params->qmax : 127;
    int64_t v = std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    std::memcpy(dst, &v, size); // little endian: the low bytes
  }
  return array;
}

/// Prints an array as nested lists, like NumPy.
void printArray(llvm::raw_ostream &os, const qnn::NpyArray &array) {
  int64_t size = qnn::NpyArray::elementSize(array.dtype);
  auto element = [&](int64_t i) {
    const char *p = array.data.data() + i * size;
    if (array.dtype == "f4") {
      float v;
      std::memcpy(&v, p, 4);
      os << llvm::format("%.9g", v);
    } else if (array.dtype == "u1") {
      os << static_cast<unsigned>(static_cast<uint8_t>(*p));
    } else if (array.dtype == "i1") {
      os << static_cast<int>(static_cast<int8_t>(*p));
    } else if (array.dtype == "u2" || array.dtype == "i2") {
      uint16_t v;
      std::memcpy(&v, p, 2);
      if (array.dtype == "i2")
        os << static_cast<int16_t>(v);
      else
        os << v;
    } else if (array.dtype == "u4") {
      uint32_t v;
      std::memcpy(&v, p, 4);
      os << v;
    } else if (array.dtype == "i8") {
      int64_t v;
      std::memcpy(&v, p, 8);
      os << v;
    } else {
      int32_t v;
      std::memcpy(&v, p, 4);
      os << v;
    }
  };
  std::function<void(size_t, int64_t)> rec = [&](size_t dim, int64_t offset) {
    if (dim == array.shape.size())
      return element(offset);
    int64_t stride = 1;
    for (size_t d = dim + 1; d < array.shape.size(); ++d)
      stride *= array.shape[d];
    os << "[";
    for (int64_t i = 0; i < array.shape[dim]; ++i) {
      if (i)
        os << ", ";
      rec(dim + 1, offset + i * stride);
    }
    os << "]";
  };
  rec(0, 0);
  os << "\n";
}

/// A strided memref descriptor of any rank, laid out as MLIR's C interface
/// expects: allocated and aligned pointers, offset, sizes, strides.
struct Descriptor {
  std::vector<int64_t> words;
  Descriptor(char *data, ArrayRef<int64_t> shape) {
    words.push_back(reinterpret_cast<int64_t>(data));
    words.push_back(reinterpret_cast<int64_t>(data));
    words.push_back(0);
    words.insert(words.end(), shape.begin(), shape.end());
    SmallVector<int64_t> strides(shape.size(), 1);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * shape[d + 1];
    words.insert(words.end(), strides.begin(), strides.end());
  }
};

func::FuncOp findEntry(ModuleOp module) {
  if (!entryName.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(entryName);
    if (!func || func.isExternal())
      fatal("no function '" + entryName + "' in " + inputFile);
    return func;
  }
  SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      candidates.push_back(func);
  if (candidates.size() == 1)
    return candidates.front();
  for (StringRef name : {"forward", "main"})
    if (auto func = module.lookupSymbol<func::FuncOp>(name))
      return func;
  fatal("cannot choose the function to run in " + inputFile +
        ": pass --entry NAME");
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(bool pic) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    fatal("cannot detect the host: " + llvm::toString(builder.takeError()));
  if (!targetTriple.empty()) {
    builder = llvm::orc::JITTargetMachineBuilder(
        llvm::Triple(llvm::Triple::normalize(targetTriple)));
    builder->setCPU("generic");
  }
  if (!mcpu.empty())
    builder->setCPU(mcpu);
  // AMD's AVX-512 gathers and scatters are microcoded (Zen 4, Zen 5): LLVM's
  // vectorizer still picks them for strided accesses, and a depthwise conv
  // ran 10x slower with them. Vectorize those accesses another way.
  if (StringRef(builder->getCPU()).starts_with("znver"))
    builder->addFeatures({"+prefer-no-gather", "+prefer-no-scatter"});
  if (!mattr.empty()) {
    SmallVector<StringRef> features;
    StringRef(mattr).split(features, ',', -1, false);
    builder->addFeatures(
        std::vector<std::string>(features.begin(), features.end()));
  }
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  if (pic)
    builder->setRelocationModel(llvm::Reloc::PIC_);
  auto tm = builder->createTargetMachine();
  if (!tm)
    fatal("cannot create the target machine: " +
          llvm::toString(tm.takeError()));
  return std::move(*tm);
}

void printSpecs(llvm::json::OStream &json, ArrayRef<TensorSpec> specs) {
  json.array([&] {
    for (const TensorSpec &spec : specs)
      json.object([&] {
        json.attribute("dtype", spec.dtype);
        json.attributeArray("shape", [&] {
          for (int64_t d : spec.shape)
            json.value(d);
        });
        json.attribute("type", spec.typeString);
        if (!spec.params)
          return;
        if (!spec.params->isPerTensor()) {
          json.attribute("axis", *spec.params->axis);
          return;
        }
        json.attribute("scale", spec.params->scale());
        json.attribute("zero_point", spec.params->zeroPoint());
        json.attribute("qmin", spec.params->qmin);
        json.attribute("qmax", spec.params->qmax);
      });
  });
}

void writeObject(ModuleOp module) {
  // The object exports the C interface (_mlir_ciface_<entry>) and nothing
  // else: the functions behind it are internal, so an entry named `main`
  // does not clash with a C program's.
  module.walk([](LLVM::LLVMFuncOp func) {
    if (!func.isExternal() && !func.getName().starts_with("_mlir_ciface_"))
      func.setLinkage(LLVM::Linkage::Internal);
  });
  auto tm = createTargetMachine(/*pic=*/true);
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    fatal("translation to LLVM IR failed");
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  check(makeOptimizingTransformer(3, 0, tm.get())(llvmModule.get()));
  std::error_code ec;
  llvm::ToolOutputFile out(emitObject, ec, llvm::sys::fs::OF_None);
  if (ec)
    fatal("cannot write '" + emitObject + "': " + ec.message());
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out.os(), nullptr,
                              llvm::CodeGenFileType::ObjectFile))
    fatal("the target cannot emit object files");
  pm.run(*llvmModule);
  out.keep();
}
void writeHeader(StringRef entry, ArrayRef<TensorSpec> args,
                 ArrayRef<TensorSpec> results) {
  auto convert = [](ArrayRef<TensorSpec> specs) {
    std::vector<qnn::CTensor> tensors;
    for (const TensorSpec &spec : specs)
      tensors.push_back(
          {spec.dtype,
           std::vector<int64_t>(spec.shape.begin(), spec.shape.end()),
           spec.typeString});
    return tensors;
  };
  std::error_code ec;
  llvm::ToolOutputFile out(emitHeader, ec, llvm::sys::fs::OF_Text);
  if (ec)
    fatal("cannot write '" + emitHeader + "': " + ec.message());
  if (!qnn::writeCHeader(out.os(), entry, inputFile, convert(args),
                         convert(results)))
    fatal("an argument or result of '" + entry + "' has no C type");
  out.keep();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(qnnRunCategory);
  cl::ParseCommandLineOptions(argc, argv, "qnn JIT runner\n");
  if (threads.getNumOccurrences() && threads < 1)
    fatal("--num-threads must be at least 1, got " + llvm::Twine(threads));
  if (!targetTriple.empty() && emitObject.empty())
    fatal("--target needs --emit-object: qnn-run runs models on the host");
  if (!emitHeader.empty() && emitObject.empty())
    fatal("--emit-header needs --emit-object");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  if (!targetTriple.empty()) {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    std::string error;
    if (!llvm::TargetRegistry::lookupTarget(
            llvm::Triple(llvm::Triple::normalize(targetTriple)), error))
      fatal("unknown --target '" + targetTriple + "': " + error);
  }

  qnn::registerAllPasses();
  if (listNumerics) {
    llvm::json::OStream json(llvm::outs(), 2);
    json.array([&] {
      for (const qnn::EngineInfo &engine : qnn::getAllEngines())
        json.object([&] {
          json.attribute("name", engine.getName());
          json.attribute("torch_engine", engine.torchEngine);
          json.attribute("summary", engine.summary);
        });
    });
    llvm::outs() << "\n";
    return 0;
  }
  if (inputFile.empty())
    fatal("no input file (usage: qnn-run <model.mlir> [options])");

  DialectRegistry registry;
  qnn::registerAllDialects(registry);
  registerAllToLLVMIRTranslations(registry);
  MLIRContext context(registry);

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    fatal(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    fatal("cannot parse or verify " + inputFile);

  func::FuncOp entry = findEntry(*module);
  std::string name = entry.getSymName().str();
  std::vector<TensorSpec> argSpecs, resultSpecs;
  for (auto [i, type] : llvm::enumerate(entry.getArgumentTypes()))
    argSpecs.push_back(describe(type, "argument " + llvm::Twine(i)));
  for (auto [i, type] : llvm::enumerate(entry.getResultTypes()))
    resultSpecs.push_back(describe(type, "result " + llvm::Twine(i)));

  if (printSignature) {
    llvm::json::OStream json(llvm::outs(), 2);
    json.object([&] {
      json.attribute("entry", name);
      json.attributeBegin("arguments");
      printSpecs(json, argSpecs);
      json.attributeEnd();
      json.attributeBegin("results");
      printSpecs(json, resultSpecs);
      json.attributeEnd();
    });
    llvm::outs() << "\n";
    return 0;
  }

  // Inputs: checked before compiling, so bad input fails fast.
  std::vector<qnn::NpyArray> inputs;
  if (!inputPaths.empty() && inputPaths.size() != argSpecs.size())
    fatal("'" + name + "' takes " + llvm::Twine(argSpecs.size()) +
          " inputs but " + llvm::Twine(inputPaths.size()) + " were given");
  std::mt19937_64 rng(seed);
  for (auto [i, spec] : llvm::enumerate(argSpecs)) {
    if (inputPaths.empty()) {
      inputs.push_back(generate(spec, rng));
      continue;
    }
    auto array = qnn::readNpy(inputPaths[i]);
    if (!array)
      fatal("input " + llvm::Twine(i) + " " +
            llvm::toString(array.takeError()));
    if (array->dtype != spec.dtype)
      fatal("input " + llvm::Twine(i) + " '" + inputPaths[i] + "': dtype " +
            array->dtype + " does not match " + spec.typeString +
            " (expected " + spec.dtype + ")");
    if (ArrayRef<int64_t>(array->shape) != ArrayRef<int64_t>(spec.shape))
      fatal("input " + llvm::Twine(i) + " '" + inputPaths[i] + "': shape " +
            formatShape(array->shape) + " does not match " + spec.typeString);
    inputs.push_back(std::move(*array));
  }
  if (!outputPaths.empty() && outputPaths.size() != resultSpecs.size())
    fatal("'" + name + "' returns " + llvm::Twine(resultSpecs.size()) +
          " results but " + llvm::Twine(outputPaths.size()) +
          " --output files were given");

  // Lower with the pipeline qnn-opt registers as --qnn-lower-to-llvm.
  entry->setAttr("llvm.emit_c_interface", UnitAttr::get(&context));
  PassManager pm(&context);
  qnn::QNNLowerToLLVMOptions options;
  qnn::buildQNNLowerToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    fatal("lowering " + inputFile + " failed");

  if (!emitObject.empty()) {
    writeObject(*module);
    if (!emitHeader.empty())
      writeHeader(name, argSpecs, resultSpecs);
    return 0;
  }

  auto tm = createTargetMachine(/*pic=*/false);
  auto transformer = makeOptimizingTransformer(3, 0, tm.get());
  // Compiled models call the runtime's micro-kernels (build/lib).
  SmallString<256> runtimeLib(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(llvm::sys::fs::getMainExecutable(
          argv[0], reinterpret_cast<void *>(&fatal)))));
  llvm::sys::path::append(runtimeLib, "lib", "libqnn_runtime.so");
  if (!llvm::sys::fs::exists(runtimeLib))
    fatal("cannot find qnn's runtime library at " + runtimeLib);
  SmallVector<StringRef> sharedLibs = {runtimeLib};
  ExecutionEngineOptions engineOptions;
  engineOptions.sharedLibPaths = sharedLibs;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(*module, engineOptions, std::move(tm));
  if (!engine)
    fatal("JIT compilation failed: " + llvm::toString(engine.takeError()));

  // Outputs are caller-allocated out-parameters after the inputs.
  std::vector<qnn::NpyArray> outputs;
  for (const TensorSpec &spec : resultSpecs) {
    qnn::NpyArray array{spec.dtype, spec.shape, {}};
    array.data.resize(array.numElements() *
                      qnn::NpyArray::elementSize(spec.dtype));
    outputs.push_back(std::move(array));
  }
  std::vector<Descriptor> descriptors;
  for (qnn::NpyArray &array : inputs)
    descriptors.emplace_back(array.data.data(), array.shape);
  for (qnn::NpyArray &array : outputs)
    descriptors.emplace_back(array.data.data(), array.shape);
  SmallVector<void *> descriptorPtrs, args;
  for (Descriptor &d : descriptors)
    descriptorPtrs.push_back(d.words.data());
  for (void *&p : descriptorPtrs)
    args.push_back(&p);

  // Compiled code reports invalid inputs (embedding indices, offsets) to
  // the runtime's status (qnn/Runtime/Status.h).
  std::string loadError;
  auto runtime = llvm::sys::DynamicLibrary::getPermanentLibrary(
      runtimeLib.c_str(), &loadError);
  auto clearStatus = reinterpret_cast<void (*)()>(
      runtime.getAddressOfSymbol("qnn_status_clear"));
  auto statusMessage = reinterpret_cast<const char *(*)()>(
      runtime.getAddressOfSymbol("qnn_status_message"));
  auto setThreads = reinterpret_cast<void (*)(int)>(
      runtime.getAddressOfSymbol("qnn_set_num_threads"));
  if (!clearStatus || !statusMessage || !setThreads)
    fatal("qnn's runtime library " + runtimeLib +
          " lacks its status or thread functions: " + loadError);
  if (threads.getNumOccurrences())
    setThreads(threads);
  std::string adapter = "_mlir_ciface_" + name;
  auto call = [&] {
    clearStatus();
    check((*engine)->invokePacked(adapter, args));
    if (const char *message = statusMessage())
      fatal(message);
  };
  call();
  if (timeCalls) {
    std::vector<double> times;
    for (unsigned i = 0; i < std::max(1u, repeat.getValue()); ++i) {
      auto start = std::chrono::steady_clock::now();
      call();
      auto end = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::micro>(end - start).count());
    }
    std::nth_element(times.begin(), times.begin() + times.size() / 2,
                     times.end());
    llvm::outs() << llvm::format("time: %.3f us median over %zu calls\n",
                                 times[times.size() / 2], times.size());
  }

  for (auto [i, array] : llvm::enumerate(outputs)) {
    if (printResults) {
      llvm::outs() << "result " << i << ": " << resultSpecs[i].typeString
                   << "\n";
      printArray(llvm::outs(), array);
    }
    if (!outputPaths.empty())
      check(qnn::writeNpy(outputPaths[i], array));
  }
  return 0;
}
