//===- QNNAttrs.cpp - qnn attributes --------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/QNN/IR/QNNAttrs.cpp.inc"

void QNNDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qnn/Dialect/QNN/IR/QNNAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

ActivationAttr
ActivationAttr::get(MLIRContext *context, StringRef name,
                    ArrayRef<std::pair<StringRef, float>> namedParams) {
  const ActivationDef *def = lookupActivation(name);
  if (!def)
    return {};
  SmallVector<float> params;
  for (const ActivationParam &param : def->params)
    params.push_back(param.defaultValue);
  for (auto [paramName, value] : namedParams) {
    std::optional<unsigned> index = def->getParamIndex(paramName);
    if (!index)
      return {};
    params[*index] = value;
  }
  return get(context, def, params);
}

StringRef ActivationAttr::getName() const { return getDef()->name; }

float ActivationAttr::getParam(StringRef name) const {
  std::optional<unsigned> index = getDef()->getParamIndex(name);
  assert(index && "no such activation parameter");
  return getParams()[*index];
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       const ActivationDef *def,
                       DenseF32ArrayAttr paramValues) {
  ArrayRef<float> params = paramValues.asArrayRef();
  if (!def)
    return emitError() << "unknown activation";
  if (params.size() != def->params.size())
    return emitError() << def->name << " takes " << def->params.size()
                       << " parameters, got " << params.size();
  if (def->verifyParams)
    return def->verifyParams(emitError, params);
  return success();
}

void ActivationAttr::printBody(AsmPrinter &printer) const {
  printer << getName();
  SmallVector<std::pair<StringRef, float>> changed;
  for (auto [param, value] : llvm::zip(getDef()->params, getParams()))
    if (value != param.defaultValue ||
        std::signbit(value) != std::signbit(param.defaultValue))
      changed.push_back({param.name, value});
  if (changed.empty())
    return;
  printer << "(";
  llvm::interleaveComma(changed, printer, [&](auto entry) {
    printer << entry.first << " = ";
    printer.printFloat(APFloat(entry.second));
  });
  printer << ")";
}

ActivationAttr ActivationAttr::parseBody(AsmParser &parser) {
  MLIRContext *context = parser.getContext();
  SMLoc loc = parser.getCurrentLocation();
  std::string name;
  if (parser.parseKeywordOrString(&name))
    return {};
  const ActivationDef *def = lookupActivation(name);
  if (!def) {
    std::string names;
    for (auto [i, candidate] : llvm::enumerate(getAllActivations()))
      names += (i ? ", " : "") + candidate.name.str();
    parser.emitError(loc) << "unknown activation '" << name
                          << "'; qnn's activations are " << names;
    return {};
  }
  SmallVector<float> params;
  for (const ActivationParam &param : def->params)
    params.push_back(param.defaultValue);
  if (succeeded(parser.parseOptionalLParen())) {
    auto parseOne = [&]() -> ParseResult {
      SMLoc paramLoc = parser.getCurrentLocation();
      std::string paramName;
      double value;
      if (parser.parseKeywordOrString(&paramName) || parser.parseEqual() ||
          parser.parseFloat(value))
        return failure();
      std::optional<unsigned> index = def->getParamIndex(paramName);
      if (!index) {
        std::string known;
        for (auto [i, param] : llvm::enumerate(def->params))
          known += (i ? ", " : "") + param.name.str();
        return parser.emitError(paramLoc)
               << name << " has no parameter '" << paramName << "'"
               << (known.empty() ? "; it takes none" : "; it takes " + known);
      }
      params[*index] = static_cast<float>(value);
      return success();
    };
    if (parser.parseCommaSeparatedList(parseOne) || parser.parseRParen())
      return {};
  }
  return getChecked([&] { return parser.emitError(loc); }, context, def,
                    DenseF32ArrayAttr::get(context, params));
}

void ActivationAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printBody(printer);
  printer << ">";
}

Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  ActivationAttr attr = parseBody(parser);
  if (!attr || parser.parseGreater())
    return {};
  return attr;
}
