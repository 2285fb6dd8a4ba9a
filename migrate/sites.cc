#include "migrate/sites.h"

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/FileSystem.h"
#include "migrate/missing_headers.h"
#include "migrate/raw_lexer.h"

namespace migrate {
namespace {

using namespace clang;  // NOLINT: the AST vocabulary is the point of this file

constexpr const char* kLegacyNames[] = {"at::AutoNonVariableTypeMode",
                                        "ember::AutoNonVariableTypeMode"};

std::optional<Profile> LegacyProfile(const CXXRecordDecl* record) {
  if (!record || !record->getIdentifier() ||
      record->getName() != "AutoNonVariableTypeMode")
    return std::nullopt;
  const std::string name = record->getQualifiedNameAsString();
  if (name == kLegacyNames[0]) return Profile::kTorch;
  if (name == kLegacyNames[1]) return Profile::kEmber;
  return std::nullopt;
}

// The record a spelled type names directly: `Name` (a RecordType) or, since
// Clang 14, `Name` found through a using-declaration (a UsingType).
const CXXRecordDecl* NamedRecord(TypeLoc loc) {
  if (auto record = loc.getAs<RecordTypeLoc>()) return dyn_cast<CXXRecordDecl>(record.getDecl());
  if (auto used = loc.getAs<UsingTypeLoc>()) return used.getUnderlyingType()->getAsCXXRecordDecl();
  return nullptr;
}

bool IsNamed(const NamedDecl* decl, std::initializer_list<const char*> names) {
  if (!decl || !decl->getIdentifier()) return false;
  const std::string qualified = decl->getQualifiedNameAsString();
  for (const char* name : names)
    if (qualified == name) return true;
  return false;
}

// The declaration to reason about: the pattern of a template instantiation.
const FunctionDecl* Canonical(const FunctionDecl* fn) {
  if (!fn) return nullptr;
  if (const FunctionDecl* pattern = fn->getTemplateInstantiationPattern()) fn = pattern;
  return fn->getCanonicalDecl();
}

struct KernelWhy {
  std::string reason;
  bool redundant = false;
};

struct ContextWhy {
  Context context = Context::kInference;
  std::string reason;
  bool weak = false;
  bool redundant = false;
};

// Everything one traversal of the translation unit collects; decisions are
// made afterwards, once all registrations and calls are known.
struct Collected {
  std::vector<TypeLoc> site_locs;                 // legacy spellings, in order
  std::unordered_set<unsigned> inner_record_locs;  // records already covered by a qualifier
  std::vector<const CXXConstructExpr*> constructs;
  std::vector<const CallExpr*> holder_calls;       // make_unique / emplace
  std::vector<const CallExpr*> calls;
  std::vector<const CallExpr*> registrations;      // calls naming an Autograd dispatch key
  std::vector<const CXXMemberCallExpr*> library_impls;  // torch::Library::impl
  std::set<const FunctionDecl*> escaped;           // referenced other than by a call
  std::map<std::string, SourceLocation> replacement_decls;
};

class Collector : public RecursiveASTVisitor<Collector> {
 public:
  Collector(ASTContext& context, Collected& out) : sm_(context.getSourceManager()), out_(out) {}

  bool VisitElaboratedTypeLoc(ElaboratedTypeLoc loc) {
    const TypeLoc named = loc.getNamedTypeLoc();
    if (LegacyProfile(NamedRecord(named)) && !InSystem(loc.getBeginLoc())) {
      out_.site_locs.push_back(loc);
      out_.inner_record_locs.insert(named.getBeginLoc().getRawEncoding());
    }
    return true;
  }

  bool VisitRecordTypeLoc(RecordTypeLoc loc) { return VisitNamed(loc); }
  bool VisitUsingTypeLoc(UsingTypeLoc loc) { return VisitNamed(loc); }

  bool VisitNamed(TypeLoc loc) {
    if (LegacyProfile(NamedRecord(loc)) && !InSystem(loc.getBeginLoc()) &&
        !out_.inner_record_locs.count(loc.getBeginLoc().getRawEncoding()))
      out_.site_locs.push_back(loc);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* expr) {
    if (LegacyProfile(expr->getConstructor()->getParent()) && !InSystem(expr->getBeginLoc()))
      out_.constructs.push_back(expr);
    return true;
  }

  bool VisitCallExpr(CallExpr* call) {
    if (InSystem(call->getBeginLoc())) return true;
    out_.calls.push_back(call);
    if (const auto* ref = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts()))
      callee_refs_.insert(ref);
    if (IsHolderCall(call)) out_.holder_calls.push_back(call);
    for (const Expr* arg : call->arguments()) {
      const auto* ref = dyn_cast<DeclRefExpr>(arg->IgnoreParenImpCasts());
      const auto* key = ref ? dyn_cast<EnumConstantDecl>(ref->getDecl()) : nullptr;
      if (key && key->getName().startswith("Autograd") &&
          IsNamed(dyn_cast<EnumDecl>(key->getDeclContext()), {"c10::DispatchKey"})) {
        out_.registrations.push_back(call);
        break;
      }
    }
    if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) {
      const CXXMethodDecl* method = member->getMethodDecl();
      if (method && method->getIdentifier() && method->getName() == "impl" &&
          IsNamed(method->getParent(), {"torch::Library"}))
        out_.library_impls.push_back(member);
    }
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr* ref) {
    if (const auto* fn = dyn_cast<FunctionDecl>(ref->getDecl()))
      if (!callee_refs_.count(ref) && !InSystem(ref->getBeginLoc()))
        out_.escaped.insert(Canonical(fn));
    return true;
  }

 private:
  bool InSystem(SourceLocation loc) const {
    return sm_.isInSystemHeader(sm_.getSpellingLoc(loc)) && sm_.isInSystemHeader(sm_.getExpansionLoc(loc));
  }

  static const CXXRecordDecl* FirstTemplateArgRecord(const TemplateArgumentList& args) {
    if (args.size() == 0 || args[0].getKind() != TemplateArgument::Type) return nullptr;
    return args[0].getAsType()->getAsCXXRecordDecl();
  }

  static bool IsHolderCall(const CallExpr* call) {
    const FunctionDecl* callee = call->getDirectCallee();
    if (!callee || !callee->getIdentifier()) return false;
    if (IsNamed(callee, {"std::make_unique", "std::make_shared", "c10::guts::make_unique"})) {
      const TemplateArgumentList* args = callee->getTemplateSpecializationArgs();
      return args && LegacyProfile(FirstTemplateArgRecord(*args));
    }
    const auto* member = dyn_cast<CXXMemberCallExpr>(call);
    if (!member || callee->getName() != "emplace") return false;
    const auto* holder = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        member->getImplicitObjectArgument()->getType()->getAsCXXRecordDecl());
    return holder && LegacyProfile(FirstTemplateArgRecord(holder->getTemplateArgs()));
  }

  SourceManager& sm_;
  Collected& out_;
  std::unordered_set<const DeclRefExpr*> callee_refs_;
};

// Functions and lambdas named anywhere in a registration call, without
// descending into lambda bodies (a helper called from a registered lambda is
// not itself registered).
class KernelRefs : public RecursiveASTVisitor<KernelRefs> {
 public:
  bool TraverseLambdaExpr(LambdaExpr* lambda) {
    lambdas.push_back(lambda);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr* ref) {
    if (const auto* fn = dyn_cast<FunctionDecl>(ref->getDecl())) functions.push_back(fn);
    return true;
  }
  std::vector<const LambdaExpr*> lambdas;
  std::vector<const FunctionDecl*> functions;
};

// Finds the legacy spellings inside a spelled type, following aliases and
// typedefs to the spelling in their declaration.
class SpellingsInType : public RecursiveASTVisitor<SpellingsInType> {
 public:
  explicit SpellingsInType(std::vector<unsigned>& keys) : keys_(keys) {}
  bool VisitElaboratedTypeLoc(ElaboratedTypeLoc loc) {
    const TypeLoc named = loc.getNamedTypeLoc();
    if (LegacyProfile(NamedRecord(named))) {
      keys_.push_back(loc.getBeginLoc().getRawEncoding());
      inner_.insert(named.getBeginLoc().getRawEncoding());
    }
    return true;
  }
  bool VisitRecordTypeLoc(RecordTypeLoc loc) { return VisitNamed(loc); }
  bool VisitUsingTypeLoc(UsingTypeLoc loc) { return VisitNamed(loc); }
  bool VisitNamed(TypeLoc loc) {
    if (LegacyProfile(NamedRecord(loc)) && !inner_.count(loc.getBeginLoc().getRawEncoding()))
      keys_.push_back(loc.getBeginLoc().getRawEncoding());
    return true;
  }
  bool VisitTypedefTypeLoc(TypedefTypeLoc loc) {
    const TypedefNameDecl* alias = loc.getTypedefNameDecl();
    if (alias && alias->getTypeSourceInfo() && depth_ < 8 && seen_.insert(alias).second) {
      ++depth_;
      TraverseTypeLoc(alias->getTypeSourceInfo()->getTypeLoc());
      --depth_;
    }
    return true;
  }

 private:
  std::vector<unsigned>& keys_;
  std::unordered_set<unsigned> inner_;
  std::set<const TypedefNameDecl*> seen_;
  int depth_ = 0;
};

class Finder {
 public:
  Finder(ASTContext& context, const FindOptions& options, TuResult& out,
         const std::vector<SourceLocation>& errors)
      : context_(context), sm_(context.getSourceManager()), options_(options), out_(out), errors_(errors) {}

  void Run() {
    // Only the project's declarations are walked (and only they get parents):
    // system headers hold no uses, and walking LibTorch's costs seconds.
    std::vector<Decl*> scope;
    for (Decl* decl : context_.getTranslationUnitDecl()->decls())
      if (!sm_.isInSystemHeader(sm_.getExpansionLoc(decl->getBeginLoc()))) scope.push_back(decl);
    context_.setTraversalScope(scope);
    FindReplacementDecls();
    Collector collector(context_, collected_);
    collector.TraverseAST(context_);
    RecordTouchedFiles();
    if (collected_.site_locs.empty()) return;
    for (const CallExpr* call : collected_.calls) {
      const FunctionDecl* callee = Canonical(call->getDirectCallee());
      if (!callee) continue;
      callers_[callee].push_back(call);
      // Library code that builds a tensor below autograd and then wraps it
      // as a Variable (LibTorch's own from_blob did) is kernel code: under
      // InferenceMode the tensor would be an inference tensor.
      if (IsNamed(callee, {"torch::autograd::make_variable"}))
        if (const FunctionDecl* wrapper = EnclosingFunction(DynTypedNode::create(*call)))
          variable_wrappers_.try_emplace(Canonical(wrapper), Where(call->getBeginLoc()));
      // Hand-written autograd: a function that computes a raw result and
      // builds the graph node for it itself runs below autograd.
      const auto* method = dyn_cast<CXXMethodDecl>(callee);
      if (IsNamed(callee, {"torch::autograd::collect_next_edges", "torch::autograd::set_history"}) ||
          (method && method->getIdentifier() && method->getName() == "set_next_edges" &&
           DerivesFrom(method->getParent(), "torch::autograd::Node")))
        if (const FunctionDecl* builder = OuterFunction(DynTypedNode::create(*call)))
          node_builders_.try_emplace(Canonical(builder),
                                     "`" + callee->getNameAsString() + "` at " + Where(call->getBeginLoc()));
    }
    CollectRegistrations();

    std::map<unsigned, std::vector<Use>> uses_by_key;
    for (const CXXConstructExpr* construct : collected_.constructs) AddConstructUse(construct, uses_by_key);
    for (const CallExpr* call : collected_.holder_calls) AddHolderUse(call, uses_by_key);

    std::set<unsigned> done;
    for (const TypeLoc& loc : collected_.site_locs) {
      const unsigned key = loc.getBeginLoc().getRawEncoding();
      if (!done.insert(key).second) continue;
      // In a translation unit parsed with errors, a spelling whose code did
      // not parse cleanly is left to the token tier.
      if (!errors_.empty() && (undermined_keys_.count(key) || Undermined(DynTypedNode::create(loc)))) continue;
      std::optional<Site> site = MakeSite(loc);
      if (!site) continue;
      auto found = uses_by_key.find(key);
      if (found != uses_by_key.end()) {
        site->uses = found->second;
      } else if (!InsideAlias(DynTypedNode::create(loc))) {
        // Nothing constructs the guard through this spelling (a holder's
        // declaration, a member, a parameter): the place it is written in decides.
        ContextWhy why = ContextOf(DynTypedNode::create(loc));
        Use use;
        use.context = why.context;
        use.reason = why.reason;
        use.weak = why.weak;
        use.redundant = why.redundant;
        use.where = Where(loc.getBeginLoc());
        use.arg = DependentArgument(DynTypedNode::create(loc));
        site->uses.push_back(use);
      }
      out_.sites.push_back(std::move(*site));
    }
  }

 private:
  // Where the replacement guards are declared, if this translation unit sees them.
  void FindReplacementDecls() {
    static constexpr std::pair<const char*, const char*> kReplacements[] = {
        {"c10", "InferenceMode"},
        {"at", "AutoDispatchBelowADInplaceOrView"},
        {"ember", "InferenceMode"},
        {"ember", "AutoDispatchBelowADInplaceOrView"},
        {"at", "AutoNonVariableTypeMode"},
        {"ember", "AutoNonVariableTypeMode"}};
    for (const auto& [ns, name] : kReplacements) {
      for (const NamedDecl* found : context_.getTranslationUnitDecl()->lookup(&context_.Idents.get(ns))) {
        const auto* space = dyn_cast<NamespaceDecl>(found);
        if (!space) continue;
        for (const NamedDecl* decl : space->lookup(&context_.Idents.get(name)))
          if (isa<CXXRecordDecl>(decl) && !IsStandIn(decl->getLocation())) {
            collected_.replacement_decls.try_emplace(std::string(ns) + "::" + name, decl->getLocation());
            // The library header that declares a guard is never ours to edit
            // (its own copy constructor spells the legacy name).
            declaring_files_.insert(sm_.getFileID(sm_.getExpansionLoc(decl->getLocation())).getHashValue());
            // So is the file that defines its members out of line
            // (`AutoNonVariableTypeMode::AutoNonVariableTypeMode(bool)`): it
            // implements the guard, it does not use it.
            if (const auto* record = cast<CXXRecordDecl>(decl)->getDefinition())
              for (const CXXMethodDecl* method : record->methods())
                if (const FunctionDecl* definition = method->getDefinition(); definition && definition->isOutOfLine())
                  declaring_files_.insert(
                      sm_.getFileID(sm_.getExpansionLoc(definition->getLocation())).getHashValue());
          }
      }
    }
  }

  // --- Registrations: kernels for Autograd dispatch keys. ---
  void CollectRegistrations() {
    for (const CallExpr* call : collected_.registrations) {
      KernelRefs refs;
      refs.TraverseStmt(const_cast<CallExpr*>(call));
      std::string key = "Autograd";
      for (const Expr* arg : call->arguments())
        if (const auto* ref = dyn_cast<DeclRefExpr>(arg->IgnoreParenImpCasts()))
          if (isa<EnumConstantDecl>(ref->getDecl()) && ref->getDecl()->getName().startswith("Autograd"))
            key = ref->getDecl()->getName().str();
      AddKernels(refs, "registered as a kernel for `" + key + "` at " + Where(call->getBeginLoc()));
    }
    for (const CXXMemberCallExpr* impl : collected_.library_impls) {
      const FunctionDecl* fn = EnclosingFunction(DynTypedNode::create(*impl));
      if (!fn || !fn->getIdentifier()) continue;
      // TORCH_LIBRARY_IMPL(ns, key, m) defines TORCH_LIBRARY_IMPL_init_<ns>_<key>_<uid>;
      // dispatch keys have no underscore, namespaces may.
      llvm::StringRef name = fn->getName();
      if (!name.consume_front("TORCH_LIBRARY_IMPL_init_")) continue;
      name = name.rtrim("0123456789");
      if (!name.consume_back("_")) continue;
      const size_t underscore = name.rfind('_');
      if (underscore == llvm::StringRef::npos) continue;
      const llvm::StringRef key = name.drop_front(underscore + 1);
      KernelRefs refs;
      for (const Expr* arg : impl->arguments()) refs.TraverseStmt(const_cast<Expr*>(arg));
      // Any backend key dispatches below autograd by construction.
      AddKernels(refs, (key.startswith("Autograd") ? "registered as a kernel for `"
                                                   : "registered as a backend kernel for `") +
                           key.str() + "` in TORCH_LIBRARY_IMPL at " + Where(impl->getBeginLoc()));
    }
  }

  void AddKernels(const KernelRefs& refs, const std::string& how) {
    for (const FunctionDecl* fn : refs.functions) {
      if (sm_.isInSystemHeader(sm_.getExpansionLoc(fn->getLocation()))) continue;
      kernel_functions_.try_emplace(Canonical(fn), how);
    }
    for (const LambdaExpr* lambda : refs.lambdas) kernel_lambdas_.try_emplace(lambda, how);
  }

  // --- Context: is this node inside a custom autograd kernel? ---
  const FunctionDecl* EnclosingFunction(DynTypedNode node) {
    for (int depth = 0; depth < 512; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return nullptr;
      node = parents[0];
      if (const auto* fn = node.get<FunctionDecl>()) return fn;
    }
    return nullptr;
  }

  // The function a node is written in, looking through lambdas.
  const FunctionDecl* OuterFunction(DynTypedNode node) {
    for (int depth = 0; depth < 512; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return nullptr;
      node = parents[0];
      if (const auto* fn = node.get<FunctionDecl>()) {
        if (const auto* method = dyn_cast<CXXMethodDecl>(fn); method && method->getParent()->isLambda()) continue;
        return fn;
      }
    }
    return nullptr;
  }

  static bool DerivesFrom(const CXXRecordDecl* record, const char* base_name, int depth = 0) {
    if (!record || depth > 16 || !record->hasDefinition()) return false;
    record = record->getDefinition();
    if (IsNamed(record, {base_name})) return true;
    for (const CXXBaseSpecifier& base : record->bases())
      if (DerivesFrom(base.getType()->getAsCXXRecordDecl(), base_name, depth + 1)) return true;
    return false;
  }

  // A replacement declared only by a stand-in (or a real header only a
  // stand-in included) does not count as declared: its header is added.
  bool IsStandIn(SourceLocation loc) const { return ReachedThroughStandIn(sm_, loc); }
  static bool IsStandInPath(const std::string& path) { return llvm::StringRef(path).startswith(kStandInDir); }

  // --- Parsed enough? (only in a translation unit parsed with errors) ---
  bool HasErrorIn(SourceLocation begin, SourceLocation end) {
    if (begin.isInvalid() || end.isInvalid()) return false;
    begin = sm_.getExpansionRange(begin).getBegin();
    end = sm_.getExpansionRange(end).getEnd();
    const auto [fid, from] = sm_.getDecomposedLoc(begin);
    const auto [end_fid, to] = sm_.getDecomposedLoc(end);
    if (fid != end_fid) return true;  // cannot tell: assume the worst
    const unsigned to_end = to + Lexer::MeasureTokenLength(end, sm_, context_.getLangOpts());
    for (SourceLocation error : errors_) {
      const auto [error_fid, offset] = sm_.getDecomposedLoc(sm_.getExpansionLoc(error));
      if (error_fid == fid && from <= offset && offset <= to_end) return true;
    }
    return false;
  }

  bool RecordUndermined(const CXXRecordDecl* record) {
    if (!record || record->isLambda()) return false;
    if (record->isInvalidDecl()) return true;
    // The head, where a base from a missing header failed to resolve.
    const SourceLocation brace = record->getBraceRange().getBegin();
    return HasErrorIn(record->getBeginLoc(), brace.isValid() ? brace : record->getLocation());
  }

  // Whether the evidence a use rests on came from code that did not parse:
  // an error in its own statement, in an enclosing function's declarator
  // (name, parameters) or in an enclosing class's head (bases). Errors in
  // other statements of a body do not change what the body is.
  bool Undermined(DynTypedNode node) {
    bool statement_checked = false;
    for (int depth = 0; depth < 512; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return false;
      const DynTypedNode parent = parents[0];
      if (!statement_checked && (node.get<Decl>() || parent.get<CompoundStmt>())) {
        statement_checked = true;
        if (HasErrorIn(node.getSourceRange().getBegin(), node.getSourceRange().getEnd())) return true;
        if (const auto* decl = node.get<Decl>(); decl && decl->isInvalidDecl()) return true;
      }
      node = parent;
      if (const auto* fn = node.get<FunctionDecl>()) {
        if (fn->isInvalidDecl()) return true;
        const SourceLocation body = fn->getBody() ? fn->getBody()->getBeginLoc() : fn->getEndLoc();
        if (HasErrorIn(fn->getBeginLoc(), body)) return true;
        if (const auto* method = dyn_cast<CXXMethodDecl>(fn); method && RecordUndermined(method->getParent()))
          return true;
      } else if (const auto* record = node.get<CXXRecordDecl>()) {
        if (RecordUndermined(record)) return true;
      }
    }
    return false;
  }

  static std::string FunctionName(const FunctionDecl* fn) {
    return fn->getQualifiedNameAsString();
  }

  // "torch::autograd::Function<ROIAlignFunction>" when `record` derives from
  // it, directly or through class templates.
  std::optional<std::string> FunctionBase(const CXXRecordDecl* record, int depth = 0) {
    if (!record || depth > 16) return std::nullopt;
    if (const auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(record))
      if (!spec->hasDefinition())
        record = spec->getSpecializedTemplate()->getTemplatedDecl();
    if (!record->hasDefinition()) return std::nullopt;
    record = record->getDefinition();
    PrintingPolicy policy(context_.getLangOpts());
    policy.SuppressScope = true;  // `Function<ROIAlignFunction>`, as users write it
    for (const CXXBaseSpecifier& base : record->bases()) {
      QualType type = base.getType();
      const TemplateDecl* template_decl = nullptr;
      if (const auto* tst = type->getAs<TemplateSpecializationType>())
        template_decl = tst->getTemplateName().getAsTemplateDecl();
      else if (const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(type->getAsCXXRecordDecl()))
        template_decl = spec->getSpecializedTemplate();
      if (IsNamed(template_decl, {"torch::autograd::Function", "ember::autograd::Function"})) {
        std::string args;
        if (const auto* tst = type->getAs<TemplateSpecializationType>()) {
          for (const TemplateArgument& arg : tst->template_arguments()) {
            std::string text;
            llvm::raw_string_ostream os(text);
            arg.print(policy, os, /*IncludeType=*/false);
            args += (args.empty() ? "" : ", ") + os.str();
          }
        }
        return template_decl->getQualifiedNameAsString() + "<" + args + ">";
      }
      const CXXRecordDecl* next = type->getAsCXXRecordDecl();
      if (!next && template_decl)
        if (const auto* class_template = dyn_cast<ClassTemplateDecl>(template_decl))
          next = class_template->getTemplatedDecl();
      if (std::optional<std::string> found = FunctionBase(next, depth + 1)) return found;
    }
    return std::nullopt;
  }

  std::optional<KernelWhy> KernelReason(const FunctionDecl* fn) {
    fn = Canonical(fn);
    if (!fn) return std::nullopt;
    if (auto memo = kernel_memo_.find(fn); memo != kernel_memo_.end()) return memo->second;
    if (!in_progress_.insert(fn).second) return std::nullopt;  // recursion: not proven
    std::optional<KernelWhy> why = ComputeKernelReason(fn);
    in_progress_.erase(fn);
    kernel_memo_[fn] = why;
    return why;
  }

  std::optional<KernelWhy> ComputeKernelReason(const FunctionDecl* fn) {
    const std::string name = FunctionName(fn);
    if (auto registered = kernel_functions_.find(fn); registered != kernel_functions_.end())
      return KernelWhy{"inside `" + name + "`, " + registered->second, false};
    if (const auto* method = dyn_cast<CXXMethodDecl>(fn)) {
      if (method->isStatic() && method->getIdentifier() &&
          (method->getName() == "forward" || method->getName() == "backward")) {
        if (std::optional<std::string> base = FunctionBase(method->getParent()))
          return KernelWhy{"inside `" + name + "`, a subclass of `" + *base + "`",
                           method->getName() == "forward"};
      }
    }
    for (const ParmVarDecl* param : fn->parameters()) {
      QualType type = param->getType();
      if (type->isPointerType() || type->isReferenceType())
        if (IsNamed(type->getPointeeType()->getAsCXXRecordDecl(),
                    {"torch::autograd::AutogradContext", "ember::autograd::AutogradContext"}))
          return KernelWhy{"inside `" + name + "`, which takes an `AutogradContext*`", false};
    }
    if (const auto* method = dyn_cast<CXXMethodDecl>(fn)) {
      if (DerivesFrom(method->getParent(), "torch::autograd::Node"))
        return KernelWhy{"inside `" + name + "`, a member of a subclass of `torch::autograd::Node`", false};
      if (method->getParent()->getIdentifier() && method->getParent()->getName().endswith("NativeFunctions"))
        return KernelWhy{"inside `" + name + "`, a native function of an out-of-tree backend (below autograd)",
                         false};
    }
    for (const DeclContext* scope = fn->getDeclContext(); scope; scope = scope->getParent())
      if (const auto* space = dyn_cast<NamespaceDecl>(scope); space && space->getIdentifier() &&
                                                               space->getName() == "native")
        return KernelWhy{"inside `" + name + "`, in a `native` namespace (a backend kernel, below autograd)",
                         false};
    if (auto builder = node_builders_.find(fn); builder != node_builders_.end())
      return KernelWhy{"inside `" + name + "`, which also builds an autograd node (" + builder->second + ")",
                       false};
    if (auto wrapper = variable_wrappers_.find(fn); wrapper != variable_wrappers_.end())
      return KernelWhy{"inside `" + name + "`, which wraps its result with `torch::autograd::make_variable` at " +
                           wrapper->second + " (library code below autograd)",
                       false};
    auto callers = callers_.find(fn);
    if (callers == callers_.end() || collected_.escaped.count(fn)) return std::nullopt;
    std::string first;
    for (const CallExpr* call : callers->second) {
      ContextWhy why = ContextOf(DynTypedNode::create(*call));
      if (why.context != Context::kKernel) return std::nullopt;
      if (first.empty()) first = Where(call->getBeginLoc());
    }
    return KernelWhy{"inside `" + name + "`, called only from kernel code (e.g. at " + first + ")",
                     false};
  }

  ContextWhy ContextOf(DynTypedNode node) {
    for (int depth = 0; depth < 512; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) break;
      node = parents[0];
      if (const auto* lambda = node.get<LambdaExpr>()) {
        if (auto registered = kernel_lambdas_.find(lambda); registered != kernel_lambdas_.end())
          return {Context::kKernel, "inside a lambda " + registered->second, false, false};
        continue;  // a lambda runs in the context of the function it is written in
      }
      if (const auto* fn = node.get<FunctionDecl>()) {
        if (const auto* method = dyn_cast<CXXMethodDecl>(fn); method && method->getParent()->isLambda())
          continue;
        if (std::optional<KernelWhy> kernel = KernelReason(fn))
          return {Context::kKernel, kernel->reason, false, kernel->redundant};
        const bool in_main_file = sm_.isInMainFile(sm_.getExpansionLoc(fn->getLocation()));
        auto callers = callers_.find(Canonical(fn));
        const bool called = callers != callers_.end();
        std::string reason = "inside `" + FunctionName(fn) +
                             "`, user code: not in a custom autograd Function, not a kernel "
                             "registered for an Autograd key, not called only from one";
        if (called) reason += " (called from " + Where(callers->second.front()->getBeginLoc()) + ")";
        return {Context::kInference, reason, /*weak=*/!in_main_file && !called, false};
      }
      if (const auto* record = node.get<CXXRecordDecl>()) {
        if (record->isLambda()) continue;
        if (std::optional<std::string> base = FunctionBase(record))
          return {Context::kKernel,
                  "a member of `" + record->getQualifiedNameAsString() + "`, a subclass of `" + *base + "`",
                  false, false};
        return {Context::kInference,
                "a member of `" + record->getQualifiedNameAsString() + "`, a user class", false, false};
      }
    }
    return {Context::kInference, "at namespace scope, user code", false, false};
  }

  // In a template, a construction whose arguments depend on a template
  // parameter is not resolved until instantiation, so no use was seen: treat
  // its arguments as a runtime flag rather than silently keep them.
  Arg DependentArgument(DynTypedNode node) {
    for (int depth = 0; depth < 8; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return Arg::kNone;
      node = parents[0];
      if (const auto* var = node.get<VarDecl>()) {
        const Expr* init = var->getInit();
        if (!init || !(init->isTypeDependent() || init->isValueDependent())) return Arg::kNone;
        if (const auto* list = dyn_cast<ParenListExpr>(init)) return list->getNumExprs() ? Arg::kRuntime : Arg::kNone;
        return Arg::kRuntime;
      }
      if (const auto* expr = node.get<Expr>()) {
        if (const auto* unresolved = dyn_cast<CXXUnresolvedConstructExpr>(expr))
          return unresolved->getNumArgs() ? Arg::kRuntime : Arg::kNone;
        if (const auto* call = dyn_cast<CallExpr>(expr))
          return (call->isTypeDependent() || call->isValueDependent()) && call->getNumArgs() ? Arg::kRuntime
                                                                                              : Arg::kNone;
        continue;  // e.g. the reference naming make_unique<...>
      }
      if (node.get<Decl>() || node.get<Stmt>()) return Arg::kNone;
    }
    return Arg::kNone;
  }

  bool InsideAlias(DynTypedNode node) {
    for (int depth = 0; depth < 64; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return false;
      node = parents[0];
      if (node.get<TypedefNameDecl>()) return true;
      if (node.get<Decl>() || node.get<Stmt>()) return false;
    }
    return false;
  }

  // --- Uses: constructions of the guard and what they say. ---
  static Arg Classify(const Expr* arg) {
    if (!arg || isa<CXXDefaultArgExpr>(arg)) return Arg::kNone;
    arg = arg->IgnoreImplicit()->IgnoreParens();
    if (const auto* literal = dyn_cast<CXXBoolLiteralExpr>(arg))
      return literal->getValue() ? Arg::kTrue : Arg::kFalse;
    return Arg::kRuntime;
  }

  std::optional<Span> FileSpan(CharSourceRange range) {
    CharSourceRange file_range = Lexer::makeFileCharRange(range, sm_, context_.getLangOpts());
    if (file_range.isInvalid() || range.getBegin().isMacroID() || range.getEnd().isMacroID())
      return std::nullopt;  // never an edit that tears or reaches into a macro
    const auto [fid, begin] = sm_.getDecomposedLoc(file_range.getBegin());
    const auto [end_fid, end] = sm_.getDecomposedLoc(file_range.getEnd());
    if (fid != end_fid || end < begin) return std::nullopt;
    // Nor one that would delete a directive line inside the range.
    if (HoldsDirective(sm_.getBufferData(fid).substr(begin, end - begin).str())) return std::nullopt;
    return Span{RealPath(fid), begin, end - begin};
  }

  // Widens a statement span to its whole line when nothing else is on it.
  Span WholeLine(Span span, FileID fid) {
    llvm::StringRef text = sm_.getBufferData(fid);
    size_t begin = span.offset, end = span.offset + span.length;
    size_t line_begin = begin;
    while (line_begin > 0 && (text[line_begin - 1] == ' ' || text[line_begin - 1] == '\t')) --line_begin;
    size_t line_end = end;
    while (line_end < text.size() && (text[line_end] == ' ' || text[line_end] == '\t')) ++line_end;
    const bool starts_line = line_begin == 0 || text[line_begin - 1] == '\n';
    if (!starts_line) return span;
    if (line_end < text.size() && text[line_end] == '\r') ++line_end;
    if (line_end < text.size() && text[line_end] == '\n') {
      span.offset = line_begin;
      span.length = line_end + 1 - line_begin;
    }
    return span;
  }

  // The first node above `node` that is not an implicit wrapper.
  DynTypedNode Owner(DynTypedNode node) {
    for (int depth = 0; depth < 16; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return node;
      node = parents[0];
      const Expr* expr = node.get<Expr>();
      if (expr && (isa<ExprWithCleanups>(expr) || isa<MaterializeTemporaryExpr>(expr) ||
                   isa<ImplicitCastExpr>(expr) || isa<CXXBindTemporaryExpr>(expr) ||
                   isa<ParenExpr>(expr) || isa<ConstantExpr>(expr)))
        continue;
      return node;
    }
    return node;
  }

  void AddConstructUse(const CXXConstructExpr* construct, std::map<unsigned, std::vector<Use>>& uses_by_key) {
    Use use;
    const Expr* arg = construct->getNumArgs() > 0 ? construct->getArg(0) : nullptr;
    use.arg = Classify(arg);
    std::optional<TypeLoc> spelled;
    CharSourceRange arg_range = arg ? CharSourceRange::getTokenRange(arg->getSourceRange()) : CharSourceRange();
    DynTypedNode owner = Owner(DynTypedNode::create(*construct));
    if (const auto* temporary = dyn_cast<CXXTemporaryObjectExpr>(construct); temporary && temporary->getTypeSourceInfo()) {
      spelled = temporary->getTypeSourceInfo()->getTypeLoc();
    } else if (const auto* var = owner.get<VarDecl>(); var && var->getTypeSourceInfo()) {
      spelled = var->getTypeSourceInfo()->getTypeLoc();
      const SourceRange parens = construct->getParenOrBraceRange();
      if (var->getInitStyle() == VarDecl::CallInit && parens.isValid()) {
        // `guard(true)` -> `guard`: `guard()` would declare a function.
        arg_range = CharSourceRange::getTokenRange(parens);
      } else if (var->getInitStyle() == VarDecl::CInit && parens.isInvalid() && arg) {
        // `guard = true` -> `guard`.
        SourceLocation after_name = Lexer::getLocForEndOfToken(var->getLocation(), 0, sm_, context_.getLangOpts());
        arg_range = CharSourceRange::getCharRange(
            after_name, Lexer::getLocForEndOfToken(arg->getEndLoc(), 0, sm_, context_.getLangOpts()));
      }
      use.stmt_span = StatementSpan(var);
    } else if (const auto* field = owner.get<FieldDecl>(); field && field->getTypeSourceInfo()) {
      spelled = field->getTypeSourceInfo()->getTypeLoc();
    } else if (const auto* cast = owner.get<CXXFunctionalCastExpr>(); cast && cast->getTypeInfoAsWritten()) {
      spelled = cast->getTypeInfoAsWritten()->getTypeLoc();
    } else if (const auto* new_expr = owner.get<CXXNewExpr>(); new_expr && new_expr->getAllocatedTypeSourceInfo()) {
      spelled = new_expr->getAllocatedTypeSourceInfo()->getTypeLoc();
    } else if (const auto* init = owner.get<CXXCtorInitializer>()) {
      if (init->getMember() && init->getMember()->getTypeSourceInfo())
        spelled = init->getMember()->getTypeSourceInfo()->getTypeLoc();
    } else if (const auto* ctor = owner.get<CXXConstructorDecl>()) {
      // A member initialiser `guard_(true)`: the parent map skips the
      // initialiser itself, so find it among the constructor's.
      for (const CXXCtorInitializer* init : ctor->inits()) {
        const FieldDecl* member = init->getMember();
        if (init->isWritten() && member && member->getTypeSourceInfo() && init->getInit() &&
            init->getInit()->IgnoreImplicit() == construct->IgnoreImplicit())
          spelled = member->getTypeSourceInfo()->getTypeLoc();
      }
    }
    if (!spelled) return;
    FinishUse(use, arg, arg_range, DynTypedNode::create(*construct), construct->getBeginLoc());
    Attach(*spelled, use, uses_by_key, construct->getBeginLoc(),
           !errors_.empty() && Undermined(DynTypedNode::create(*construct)));
  }

  std::optional<Span> StatementSpan(const VarDecl* var) {
    DynTypedNodeList parents = context_.getParents(*var);
    if (parents.empty()) return std::nullopt;
    const auto* stmt = parents[0].get<DeclStmt>();
    if (!stmt || !stmt->isSingleDecl()) return std::nullopt;
    std::optional<Span> span = FileSpan(CharSourceRange::getTokenRange(stmt->getSourceRange()));
    if (!span) return std::nullopt;
    return WholeLine(*span, sm_.getFileID(stmt->getBeginLoc()));
  }

  void AddHolderUse(const CallExpr* call, std::map<unsigned, std::vector<Use>>& uses_by_key) {
    Use use;
    const Expr* arg = call->getNumArgs() > 0 ? call->getArg(0) : nullptr;
    use.arg = Classify(arg);
    std::optional<TypeLoc> spelled;
    if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) {
      // holder.emplace(...): the spelling is in the holder's declaration.
      const Expr* object = member->getImplicitObjectArgument()->IgnoreParenImpCasts();
      const DeclaratorDecl* decl = nullptr;
      if (const auto* ref = dyn_cast<DeclRefExpr>(object)) decl = dyn_cast<DeclaratorDecl>(ref->getDecl());
      if (const auto* field = dyn_cast<MemberExpr>(object)) decl = dyn_cast<DeclaratorDecl>(field->getMemberDecl());
      if (decl && decl->getTypeSourceInfo()) spelled = decl->getTypeSourceInfo()->getTypeLoc();
    } else if (const auto* ref = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts())) {
      if (ref->getNumTemplateArgs() > 0 && ref->template_arguments()[0].getTypeSourceInfo())
        spelled = ref->template_arguments()[0].getTypeSourceInfo()->getTypeLoc();
    }
    if (!spelled) return;
    CharSourceRange arg_range = arg ? CharSourceRange::getTokenRange(arg->getSourceRange()) : CharSourceRange();
    FinishUse(use, arg, arg_range, DynTypedNode::create(*call), call->getBeginLoc());
    Attach(*spelled, use, uses_by_key, call->getBeginLoc(),
           !errors_.empty() && Undermined(DynTypedNode::create(*call)));
  }

  void FinishUse(Use& use, const Expr* arg, CharSourceRange arg_range, DynTypedNode node, SourceLocation loc) {
    if (use.arg != Arg::kNone && arg) {
      use.arg_span = FileSpan(arg_range);
      if (!use.arg_span)
        use.arg_uneditable = arg_range.getBegin().isMacroID() || arg_range.getEnd().isMacroID()
                                 ? "is spelled inside a macro"
                                 : "is split by a preprocessor directive";
    }
    ContextWhy why = ContextOf(node);
    use.context = why.context;
    use.reason = why.reason;
    use.weak = why.weak;
    use.redundant = why.redundant;
    use.where = Where(loc);
  }

  void Attach(TypeLoc spelled, const Use& use, std::map<unsigned, std::vector<Use>>& uses_by_key,
              SourceLocation use_loc, bool undermined) {
    std::vector<unsigned> keys;
    SpellingsInType finder(keys);
    finder.TraverseTypeLoc(spelled);
    for (unsigned key : keys) {
      if (undermined) undermined_keys_.insert(key);
      uses_by_key[key].push_back(use);
      uses_by_key[key].back().suppressed = LineHasNolint(use_loc);
    }
  }

  // Every editable project file this translation unit reached (main file and
  // headers, not the guard's declaring headers), for the accounting scan.
  void RecordTouchedFiles() {
    // translateFile may load a precompiled header's file entries, which adds
    // to the map being walked: walk a copy of its keys.
    std::vector<const FileEntry*> entries;
    for (auto it = sm_.fileinfo_begin(); it != sm_.fileinfo_end(); ++it) entries.push_back(it->first);
    for (const FileEntry* entry : entries) {
      const FileID fid = sm_.translateFile(entry);
      if (fid.isInvalid() || declaring_files_.count(fid.getHashValue())) continue;
      if (sm_.isInSystemHeader(sm_.getLocForStartOfFile(fid))) continue;
      const std::string path = RealPath(fid);
      if (!path.empty() && !IsStandInPath(path) && options_.editable(path)) out_.touched.insert(path);
    }
  }

  // --- Turning a spelled TypeLoc into a Site. ---
  std::string RealPath(FileID fid) {
    auto cached = real_paths_.find(fid.getHashValue());
    if (cached != real_paths_.end()) return cached->second;
    std::string path;
    if (const FileEntry* entry = sm_.getFileEntryForID(fid)) {
      // A relative name is relative to the command's directory, which is not
      // the process's when translation units are parsed in parallel.
      llvm::SmallString<256> name(entry->getName()), real;
      sm_.getFileManager().makeAbsolutePath(name);
      if (!llvm::sys::fs::real_path(name, real))
        path = std::string(real.str());
      else
        path = std::string(name.str());
    }
    real_paths_[fid.getHashValue()] = path;
    if (!path.empty() && !out_.contents.count(path)) out_.contents[path] = sm_.getBufferData(fid).str();
    return path;
  }

  std::string Where(SourceLocation loc) {
    SourceLocation file_loc = sm_.getExpansionLoc(loc);
    std::string path = RealPath(sm_.getFileID(file_loc));
    return options_.display(path) + ":" + std::to_string(sm_.getExpansionLineNumber(file_loc));
  }

  bool LineHasNolint(SourceLocation loc) {
    return LineText(sm_.getExpansionLoc(loc)).contains("NOLINT(migrate)") ||
           LineText(sm_.getSpellingLoc(loc)).contains("NOLINT(migrate)");
  }

  llvm::StringRef LineText(SourceLocation file_loc) {
    const auto [fid, offset] = sm_.getDecomposedLoc(file_loc);
    bool invalid = false;
    llvm::StringRef text = sm_.getBufferData(fid, &invalid);
    if (invalid || offset > text.size()) return {};
    size_t begin = text.rfind('\n', offset);
    begin = begin == llvm::StringRef::npos ? 0 : begin + 1;
    size_t end = text.find('\n', offset);
    return text.slice(begin, end);
  }

  std::optional<Site> MakeSite(TypeLoc loc) {
    const LangOptions& lang = context_.getLangOpts();
    SourceLocation begin = loc.getBeginLoc(), end = loc.getEndLoc();
    Site site;
    const auto* record = loc.getType()->getAsCXXRecordDecl();
    site.profile = LegacyProfile(record).value_or(Profile::kTorch);

    SourceLocation spelled_begin = sm_.getSpellingLoc(begin), spelled_end = sm_.getSpellingLoc(end);
    const bool in_macro = begin.isMacroID() || end.isMacroID();
    const bool in_macro_arg = in_macro && sm_.isMacroArgExpansion(begin) && sm_.isMacroArgExpansion(end);
    const bool in_system = sm_.isInSystemHeader(spelled_begin);
    const FileID fid = sm_.getFileID(spelled_begin);
    if (declaring_files_.count(fid.getHashValue())) return std::nullopt;
    const std::string path = RealPath(fid);
    if (in_macro && !in_macro_arg) {
      std::string macro_name = Lexer::getImmediateMacroName(begin, sm_, lang).str();
      site.macro = "in macro " + macro_name + " defined at " + options_.display(path) + ":" +
                   std::to_string(sm_.getSpellingLineNumber(spelled_begin));
      if (in_system || path.empty() || IsStandInPath(path) || !options_.editable(path)) {
        // Spelled outside the project, expanded here: report where the user sees it.
        if (sm_.isInSystemHeader(sm_.getExpansionLoc(begin))) return std::nullopt;
        site.blocked = site.macro + ", outside the files this tool may edit";
        SourceLocation expansion = sm_.getExpansionLoc(begin);
        const FileID expansion_fid = sm_.getFileID(expansion);
        site.span = Span{RealPath(expansion_fid), sm_.getFileOffset(expansion), 0};
        site.display = options_.display(site.span.file);
        site.line = sm_.getExpansionLineNumber(expansion);
        site.column = sm_.getExpansionColumnNumber(expansion);
        site.spelling = std::string(Lexer::getImmediateMacroName(begin, sm_, lang));
        FillDeclVisibility(site, begin);
        return site;
      }
    } else if (in_system || path.empty() || IsStandInPath(path) || !options_.editable(path)) {
      return std::nullopt;
    }
    if (sm_.getFileID(spelled_end) != fid || sm_.getFileOffset(spelled_end) < sm_.getFileOffset(spelled_begin)) {
      site.blocked = "spelled across a macro boundary; edit by hand";
      spelled_end = spelled_begin;
    }
    const unsigned offset = sm_.getFileOffset(spelled_begin);
    const unsigned end_offset = sm_.getFileOffset(spelled_end) + Lexer::MeasureTokenLength(spelled_end, sm_, lang);
    site.span = Span{path, offset, end_offset - offset};
    site.display = options_.display(path);
    site.line = sm_.getSpellingLineNumber(spelled_begin);
    site.column = sm_.getSpellingColumnNumber(spelled_begin);
    site.spelling = sm_.getBufferData(fid).substr(offset, end_offset - offset).str();
    if (HoldsDirective(site.spelling))
      site.blocked = "a preprocessor directive splits the spelling; editing it would delete the directive; "
                     "edit by hand";
    site.suppressed = LineHasNolint(begin);
    site.global_anchor = ReplacementShadowed(loc, site.profile);
    FillDeclVisibility(site, begin);
    return site;
  }

  // Whether, where `loc` is written, a user declaration hides the namespace
  // a replacement starts with (`app::c10`, a class `at`, an alias): then
  // `c10::InferenceMode` would name the user's, so it is written `::c10::…`.
  // Only what a nested-name-specifier can name counts (namespaces, aliases,
  // types), not a variable or member called `c10`.
  bool ReplacementShadowed(TypeLoc loc, Profile profile) {
    const Decl* decl = nullptr;
    DynTypedNode node = DynTypedNode::create(loc);
    for (int depth = 0; depth < 64 && !decl; ++depth) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) return false;
      node = parents[0];
      decl = node.get<Decl>();
    }
    if (!decl) return false;
    const ProfileNames& names = NamesFor(profile);
    for (const char* replacement : {names.inference, names.kernel}) {
      IdentifierInfo& first = context_.Idents.get(llvm::StringRef(replacement).split("::").first);
      for (const DeclContext* scope = decl->getDeclContext(); scope && !scope->isTranslationUnit();
           scope = scope->getParent())
        for (const NamedDecl* found : scope->lookup(&first))
          if (isa<NamespaceDecl>(found) || isa<NamespaceAliasDecl>(found) || isa<TypeDecl>(found) ||
              isa<ClassTemplateDecl>(found))
            return true;
    }
    return false;
  }

  void FillDeclVisibility(Site& site, SourceLocation begin) {
    const ProfileNames& names = NamesFor(site.profile);
    const SourceLocation use = sm_.getExpansionLoc(begin);
    auto sees = [&](const char* name) {
      auto found = collected_.replacement_decls.find(name);
      return found != collected_.replacement_decls.end() &&
             sm_.isBeforeInTranslationUnit(sm_.getExpansionLoc(found->second), use);
    };
    site.missing_inference_decl = !sees(names.inference);
    site.missing_kernel_decl = !sees(names.kernel);
  }

  ASTContext& context_;
  SourceManager& sm_;
  const FindOptions& options_;
  TuResult& out_;
  const std::vector<SourceLocation>& errors_;
  std::set<unsigned> undermined_keys_;  // spellings with a use in code that did not parse
  std::map<const FunctionDecl*, std::string> node_builders_;
  Collected collected_;
  std::map<const FunctionDecl*, std::vector<const CallExpr*>> callers_;
  std::map<const FunctionDecl*, std::string> kernel_functions_;
  std::map<const LambdaExpr*, std::string> kernel_lambdas_;
  std::map<const FunctionDecl*, std::string> variable_wrappers_;
  std::map<const FunctionDecl*, std::optional<KernelWhy>> kernel_memo_;
  std::set<const FunctionDecl*> in_progress_;
  std::unordered_map<unsigned, std::string> real_paths_;
  std::unordered_set<unsigned> declaring_files_;
};

class FindConsumer : public ASTConsumer {
 public:
  FindConsumer(const FindOptions& options, std::vector<TuResult>* results,
               std::shared_ptr<std::vector<std::string>> missing,
               std::shared_ptr<std::vector<SourceLocation>> errors)
      : options_(options), results_(results), missing_(std::move(missing)), errors_(std::move(errors)) {}
  void HandleTranslationUnit(ASTContext& context) override {
    TuResult result;
    result.missing_headers = *missing_;
    if (context.getDiagnostics().hasErrorOccurred()) {
      // A translation unit with errors is a basis for edits only when
      // headers were missing and that is tolerated, and then only where the
      // code a site depends on parsed (Finder::Undermined).
      if (!options_.tolerate_missing_headers || result.missing_headers.empty()) {
        if (!result.missing_headers.empty()) {
          result.failed = true;
          results_->push_back(std::move(result));
        }
        return;
      }
      result.parsed_with_errors = true;
    }
    FindSites(context, options_, result, *errors_);
    if (!result.missing_headers.empty()) {
      const std::string note = " (this translation unit was parsed without " +
                               JoinHeaders(result.missing_headers) + ")";
      for (Site& site : result.sites)
        for (Use& use : site.uses) use.reason += note;
    }
    results_->push_back(std::move(result));
  }

 private:
  const FindOptions& options_;
  std::vector<TuResult>* results_;
  std::shared_ptr<std::vector<std::string>> missing_;
  std::shared_ptr<std::vector<SourceLocation>> errors_;
};

class FindAction : public ASTFrontendAction {
 public:
  FindAction(const FindOptions& options, std::vector<TuResult>* results)
      : options_(options), results_(results) {}

  bool BeginSourceFileAction(CompilerInstance& ci) override {
    InstallStandIns(ci, options_.tolerate_missing_headers, missing_, errors_);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance&, llvm::StringRef) override {
    return std::make_unique<FindConsumer>(options_, results_, missing_, errors_);
  }

 private:
  const FindOptions& options_;
  std::vector<TuResult>* results_;
  std::shared_ptr<std::vector<std::string>> missing_ = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::vector<SourceLocation>> errors_ = std::make_shared<std::vector<SourceLocation>>();
};

class FindFactory : public tooling::FrontendActionFactory {
 public:
  FindFactory(FindOptions options, std::vector<TuResult>* results)
      : options_(std::move(options)), results_(results) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<FindAction>(options_, results_);
  }

 private:
  FindOptions options_;
  std::vector<TuResult>* results_;
};

}  // namespace

void FindSites(clang::ASTContext& context, const FindOptions& options, TuResult& out,
               const std::vector<clang::SourceLocation>& errors) {
  Finder(context, options, out, errors).Run();
}

std::unique_ptr<clang::tooling::FrontendActionFactory> NewFindSitesFactory(
    const FindOptions& options, std::vector<TuResult>* results) {
  return std::make_unique<FindFactory>(options, results);
}

}  // namespace migrate
