#include "autograd/function.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "tensor/check.h"

namespace ember {
namespace autograd {

void IValue::throw_wrong_type(const char* wanted) const {
  static const char* const kinds[] = {"None", "double", "int", "bool", "string", "Tensor", "int list"};
  ember::detail::fail("Expected ", wanted, " but got ", kinds[v_.index()],
                      " (Ember: reading AutogradContext::saved_data; read it back as the kind you stored.)");
}

variable_list AutogradContext::get_saved_variables() const {
  EMBER_CHECK(!has_freed_buffers_,
              kErrBackwardTwice, " (Ember: in a custom Function; pass retain_graph=true to the first backward().)");
  std::shared_ptr<Node> fn = grad_fn_.lock();
  variable_list out;
  for (const SavedVariable& s : saved_) out.push_back(s.unpack(fn.get()));
  return out;
}

void AutogradContext::mark_dirty(const variable_list& inputs) {
  for (const Tensor& t : inputs) dirty_.insert(t.unsafeGetTensorImpl());
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  for (const Tensor& t : outputs) non_differentiable_.insert(t.unsafeGetTensorImpl());
}

bool AutogradContext::needs_input_grad(size_t index) const {
  std::shared_ptr<Node> fn = grad_fn_.lock();
  return fn != nullptr && fn->should_compute_output(index);
}

void AutogradContext::save_variables(const variable_list& outputs, const char* name) {
  for (const Tensor& t : to_save_) {
    bool is_output = false;
    for (const Tensor& o : outputs) is_output |= t.defined() && o.is_same(t);
    saved_.emplace_back(t, is_output, name);
  }
  to_save_.clear();
}

void AutogradContext::release_variables() {
  saved_.clear();
  has_freed_buffers_ = true;
}

namespace detail {

std::string demangle(const char* name) {
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string result = status == 0 && out != nullptr ? out : name;
  std::free(out);
  return result;
}

variable_list check_backward_result(variable_list grads, const std::vector<bool>& is_tensor_arg,
                                    const std::string& name) {
  size_t expected = is_tensor_arg.size();
  if (grads.size() > expected) {
    // Extra trailing undefined gradients are allowed, as LibTorch.
    for (size_t i = expected; i < grads.size(); ++i) {
      EMBER_CHECK(!grads[i].defined(), "function ", name, " returned an incorrect number of gradients (expected ",
                  expected, ", got ", grads.size(), ") (Ember: return one gradient per forward argument.)");
    }
    grads.resize(expected);
  }
  EMBER_CHECK(grads.size() == expected, "function ", name, " returned an incorrect number of gradients (expected ",
              expected, ", got ", grads.size(),
              ") (Ember: return one gradient per forward argument, an undefined Tensor() for those that are not "
              "tensors.)");
  variable_list out;
  for (size_t i = 0; i < expected; ++i) {
    if (is_tensor_arg[i]) {
      out.push_back(grads[i]);
    } else {
      EMBER_CHECK(!grads[i].defined(), "function ", name, " returned a gradient different than None at position ",
                  i + 1, ", but the corresponding forward input was not a Variable (Ember: return Tensor() there.)");
    }
  }
  return out;
}

namespace {
// The inputs marked dirty count as written once more, whether or not a
// graph is recorded (LibTorch's get_and_bump_dirty), and each must be
// returned.
void check_and_bump_dirty(const variable_list& inputs, const variable_list& outputs, const AutogradContext& ctx) {
  std::vector<const TensorImpl*> bumped;  // an input passed twice is one write
  for (const Tensor& in : inputs) {
    TensorImpl* impl = in.defined() ? in.unsafeGetTensorImpl() : nullptr;
    if (impl == nullptr || ctx.dirty().count(impl) == 0) continue;
    if (std::find(bumped.begin(), bumped.end(), impl) != bumped.end()) continue;
    bumped.push_back(impl);
    impl->bump_version("a custom Function's mark_dirty");
  }
  size_t dirty_outputs = 0;
  for (const Tensor& out : outputs) dirty_outputs += out.defined() && ctx.dirty().count(out.unsafeGetTensorImpl()) > 0;
  EMBER_CHECK(dirty_outputs >= ctx.dirty().size(),
              "Some elements marked as dirty during the forward method were not returned as output. The inputs that "
              "are modified inplace must all be outputs of the Function. (Ember: ",
              ctx.dirty().size(), " tensors were marked dirty and ", dirty_outputs,
              " of them returned; return each one you modify, or do not mark it.)");
}
}  // namespace

void wrap_outputs(const variable_list& inputs, variable_list& outputs, AutogradContext& ctx,
                  const std::shared_ptr<Node>& node) {
  if (!ctx.dirty().empty()) check_and_bump_dirty(inputs, outputs, ctx);
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor& out = outputs[i];
    if (!out.defined()) continue;
    bool is_input = false;
    for (const Tensor& in : inputs) is_input |= in.is_same(out);
    bool dirty = ctx.dirty().count(out.unsafeGetTensorImpl()) > 0;
    bool differentiable = node != nullptr && ctx.non_differentiable().count(out.unsafeGetTensorImpl()) == 0 &&
                          out.is_floating_point();
    if (!differentiable) {
      // An input returned as-is comes back as a new tensor: a detached alias
      // if it requires grad (so that its requires_grad does not leak into
      // the result), else a view of it, as LibTorch's.
      if (is_input && out.requires_grad()) {
        out = out.detach();
      } else if (is_input) {
        AutoGradMode no_grad(false);
        out = out.view_as(out);
        if (AutogradMeta* meta = impl::get_autograd_meta(out); meta != nullptr && meta->is_view_) {
          meta->creation_meta_ = CreationMeta::IN_CUSTOM_FUNCTION;
        }
      }
      continue;
    }
    if (dirty) {
      // Its forward has written it already: LibTorch's check comes after.
      EMBER_CHECK(!(out.is_leaf() && out.requires_grad()),
                  "a leaf Variable that requires grad has been used in an in-place operation. (Ember: a custom "
                  "Function marked a leaf of sizes ",
                  out.sizes(), " dirty, and its forward has modified it; pass it a clone(), or update the leaf "
                  "under NoGradGuard outside the Function.)");
      // A view keeps the in-place rules of views (its CreationMeta, a view of a leaf).
      if (out.is_view()) impl::check_inplace(out, "a custom Function's in-place forward", true);
      if (impl::get_autograd_meta(out) != nullptr && impl::get_autograd_meta(out)->is_view_ && i == 0) {
        impl::rebase_history(out, node);
      } else {
        impl::set_history(out, node, static_cast<uint32_t>(i));
      }
      continue;
    }
    if (is_input) {
      AutoGradMode no_grad(false);
      out = out.view_as(out);
    }
    impl::set_history(out, node, static_cast<uint32_t>(i));
    AutogradMeta* meta = impl::get_autograd_meta(out);
    if (meta->is_view_) meta->creation_meta_ = CreationMeta::IN_CUSTOM_FUNCTION;
  }
}

}  // namespace detail
}  // namespace autograd
}  // namespace ember
