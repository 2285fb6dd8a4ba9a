// Tensor methods and free functions: thin calls into the operators, plus the
// composite ops (defined in terms of other ops, like PyTorch's
// CompositeImplicitAutograd: matmul, reshape, stack, contiguous, ...).
#include "tensor/tensor.h"

#include <algorithm>
#include <cmath>

#include "tensor/check.h"
#include "tensor/ops.h"
#include "tensor/tensor_util.h"
#include "tensor/variable_hooks.h"

namespace ember {

namespace detail {
void throw_dtype_mismatch(const char* what, ScalarType expected, ScalarType found) {
  fail("expected scalar type ", expected, " but found ", found, " (in ", what, "). Use the matching type, e.g. ",
       "data_ptr<", (found == kFloat ? "float" : found == kDouble ? "double" : found == kLong ? "int64_t" : "bool"),
       ">(), or convert with .to(ember::k", expected, ").");
}
}  // namespace detail

int64_t Tensor::size(int64_t dim) const {
  return impl_->size(detail::maybe_wrap_dim(dim, this->dim(), "size()"));
}
int64_t Tensor::stride(int64_t dim) const {
  return impl_->stride(detail::maybe_wrap_dim(dim, this->dim(), "stride()"));
}

std::string Tensor::toString() const { return std::string("CPU") + ember::toString(dtype()) + "Type"; }

Scalar Tensor::item() const {
  EMBER_CHECK(numel() == 1, "a Tensor with ", numel(), " elements cannot be converted to Scalar (item() on a tensor of ",
              "sizes ", sizes(), "). Reduce it first (e.g. .sum()), or index one element with select().");
  const void* p = impl_->data();
  switch (dtype()) {
    case kFloat:
      return Scalar(static_cast<double>(*static_cast<const float*>(p)));
    case kDouble:
      return Scalar(*static_cast<const double*>(p));
    case kLong:
      return Scalar(*static_cast<const int64_t*>(p));
    case kBool:
      return Scalar(*static_cast<const bool*>(p));
  }
  return Scalar();
}

// ---- Autograd, forwarded to //autograd's hooks ----
const Tensor& Tensor::set_requires_grad(bool requires_grad) const {
  GetVariableHooks()->set_requires_grad(*this, requires_grad);
  return *this;
}
const Tensor& Tensor::requires_grad_(bool requires_grad) const {
  GetVariableHooks()->requires_grad_(*this, requires_grad);
  return *this;
}
const Tensor& Tensor::grad() const { return GetVariableHooks()->grad(*this); }
Tensor& Tensor::mutable_grad() const { return GetVariableHooks()->mutable_grad(*this); }
const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const { return GetVariableHooks()->grad_fn(*this); }
bool Tensor::is_leaf() const { return GetVariableHooks()->is_leaf(*this); }
int64_t Tensor::output_nr() const { return GetVariableHooks()->output_nr(*this); }
bool Tensor::is_view() const { return GetVariableHooks()->is_view(*this); }
const Tensor& Tensor::_base() const { return GetVariableHooks()->base(*this); }
void Tensor::retain_grad() const { GetVariableHooks()->retain_grad(*this); }
bool Tensor::retains_grad() const { return GetVariableHooks()->retains_grad(*this); }
unsigned Tensor::_register_hook(std::function<Tensor(const Tensor&)> hook) const {
  return GetVariableHooks()->register_hook(*this, std::move(hook));
}
void Tensor::remove_hook(unsigned handle) const { GetVariableHooks()->remove_hook(*this, handle); }
void Tensor::backward(const Tensor& gradient, bool retain_graph, bool create_graph) const {
  GetVariableHooks()->backward(*this, gradient, retain_graph, create_graph, {});
}
void Tensor::backward(const Tensor& gradient, bool retain_graph, bool create_graph, TensorList inputs) const {
  EMBER_CHECK(!inputs.empty(), "'inputs' argument to backward cannot be empty (Ember: pass the tensors whose .grad "
              "should be filled, or call backward() without inputs to fill every leaf's.)");
  GetVariableHooks()->backward(*this, gradient, retain_graph, create_graph, inputs);
}
Tensor Tensor::detach() const { return ops::detach.call(*this); }
Tensor Tensor::data() const {
  EMBER_CHECK(defined(), "cannot call variable_data() on undefined tensor (Ember: data() of an undefined Tensor; "
              "check defined() first.)");
  Tensor out = detail::make_view(*this, sizes(), strides(), storage_offset());
  out.unsafeGetTensorImpl()->detach_version_counter();
  return out;
}
const Tensor& Tensor::detach_() const { return ops::detach_.call(*this); }

// ---- Elementwise ----
#define EMBER_BINARY_METHODS(name)                                                                        \
  Tensor Tensor::name(const Tensor& other, const Scalar& alpha) const {                                   \
    return ops::name.call(*this, other, alpha);                                                           \
  }                                                                                                       \
  Tensor Tensor::name(const Scalar& other, const Scalar& alpha) const {                                   \
    return ops::name##_Scalar.call(*this, other, alpha);                                                  \
  }                                                                                                       \
  const Tensor& Tensor::name##_(const Tensor& other, const Scalar& alpha) const {                         \
    return ops::name##_.call(*this, other, alpha);                                                        \
  }                                                                                                       \
  const Tensor& Tensor::name##_(const Scalar& other, const Scalar& alpha) const {                         \
    return ops::name##__Scalar.call(*this, other, alpha);                                                 \
  }                                                                                                       \
  Tensor name(const Tensor& self, const Tensor& other, const Scalar& alpha) {                             \
    return ops::name.call(self, other, alpha);                                                            \
  }                                                                                                       \
  Tensor name(const Tensor& self, const Scalar& other, const Scalar& alpha) {                             \
    return ops::name##_Scalar.call(self, other, alpha);                                                   \
  }                                                                                                       \
  const Tensor& name##_out(const Tensor& out, const Tensor& self, const Tensor& other, const Scalar& alpha) { \
    return ops::name##_out.call(out, self, other, alpha);                                                 \
  }
EMBER_BINARY_METHODS(add)
EMBER_BINARY_METHODS(sub)
#undef EMBER_BINARY_METHODS

#define EMBER_BINARY_METHODS_NO_ALPHA(name, arg)                                                              \
  Tensor Tensor::name(const Tensor& arg) const { return ops::name.call(*this, arg, 1); }                    \
  Tensor Tensor::name(const Scalar& arg) const { return ops::name##_Scalar.call(*this, arg, 1); }           \
  const Tensor& Tensor::name##_(const Tensor& arg) const { return ops::name##_.call(*this, arg, 1); }         \
  const Tensor& Tensor::name##_(const Scalar& arg) const { return ops::name##__Scalar.call(*this, arg, 1); }  \
  Tensor name(const Tensor& self, const Tensor& arg) { return ops::name.call(self, arg, 1); }                \
  Tensor name(const Tensor& self, const Scalar& arg) { return ops::name##_Scalar.call(self, arg, 1); }
EMBER_BINARY_METHODS_NO_ALPHA(mul, other)
EMBER_BINARY_METHODS_NO_ALPHA(div, other)
EMBER_BINARY_METHODS_NO_ALPHA(pow, exponent)
#undef EMBER_BINARY_METHODS_NO_ALPHA

const Tensor& mul_out(const Tensor& out, const Tensor& self, const Tensor& other) {
  return ops::mul_out.call(out, self, other, 1);
}
const Tensor& div_out(const Tensor& out, const Tensor& self, const Tensor& other) {
  return ops::div_out.call(out, self, other, 1);
}

#define EMBER_COMPARISON_METHODS(name)                                                              \
  Tensor Tensor::name(const Tensor& other) const { return ops::name.call(*this, other, 1); }         \
  Tensor Tensor::name(const Scalar& other) const { return ops::name##_Scalar.call(*this, other, 1); } \
  Tensor name(const Tensor& self, const Tensor& other) { return ops::name.call(self, other, 1); }
EMBER_COMPARISON_OPS(EMBER_COMPARISON_METHODS)
#undef EMBER_COMPARISON_METHODS
Tensor eq(const Tensor& self, const Scalar& other) { return ops::eq_Scalar.call(self, other, 1); }

#define EMBER_UNARY_METHODS(name)                                                  \
  Tensor Tensor::name() const { return ops::name.call(*this); }                   \
  const Tensor& Tensor::name##_() const { return ops::name##_.call(*this); }      \
  Tensor name(const Tensor& self) { return ops::name.call(self); }
EMBER_UNARY_OPS(EMBER_UNARY_METHODS)
#undef EMBER_UNARY_METHODS

// ---- Copies and conversions ----
const Tensor& Tensor::copy_(const Tensor& src) const { return ops::copy_.call(*this, src); }
const Tensor& Tensor::fill_(const Scalar& value) const { return ops::fill_.call(*this, value); }
const Tensor& Tensor::zero_() const { return ops::zero_.call(*this); }
Tensor Tensor::clone(MemoryFormat format) const { return ops::clone.call(*this, format); }
Tensor clone(const Tensor& self, MemoryFormat format) { return ops::clone.call(self, format); }
Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(MemoryFormat::Contiguous); }

bool Tensor::is_contiguous(MemoryFormat format) const {
  switch (format) {
    case MemoryFormat::ChannelsLast:
      return detail::is_channels_last_contiguous(sizes(), strides());
    case MemoryFormat::ChannelsLast3d:
      return detail::is_channels_last_3d_contiguous(sizes(), strides());
    case MemoryFormat::Contiguous:
    case MemoryFormat::Preserve:  // as LibTorch: the row-major answer
      break;
  }
  return is_contiguous();
}
bool Tensor::is_non_overlapping_and_dense() const { return detail::is_non_overlapping_and_dense(sizes(), strides()); }
MemoryFormat Tensor::suggest_memory_format() const { return detail::suggest_memory_format(sizes(), strides()); }
Tensor Tensor::to(ScalarType dtype) const { return dtype == this->dtype() ? *this : ops::_to_copy.call(*this, dtype); }

// ---- Reductions ----
Tensor Tensor::sum() const { return ops::sum.call(*this); }
Tensor Tensor::sum(IntArrayRef dim, bool keepdim) const { return ops::sum_dim.call(*this, dim, keepdim); }
Tensor Tensor::mean() const { return ops::mean.call(*this); }
Tensor Tensor::mean(IntArrayRef dim, bool keepdim) const { return ops::mean_dim.call(*this, dim, keepdim); }
Tensor Tensor::sum_to_size(IntArrayRef size) const {
  IntArrayRef mine = sizes();
  EMBER_CHECK(detail::is_expandable_to(size, mine), "size {", size, "} is not expandable to size {", mine,
              "}. (Ember: sum_to_size; pass a shape this tensor was broadcast from.)");
  int64_t lead = static_cast<int64_t>(mine.size() - size.size());
  DimVector dims;
  for (int64_t d = 0; d < static_cast<int64_t>(mine.size()); ++d) {
    if (d < lead || (size[d - lead] == 1 && mine[d] != 1)) dims.push_back(d);
  }
  // LibTorch's sum_to: to no dims is a full sum, and without leading dims
  // the (summed) tensor itself comes back, not a view of it.
  if (size.empty()) return ops::sum.call(*this);
  Tensor summed = dims.empty() ? *this : ops::sum_dim.call(*this, dims, true);
  return lead > 0 ? summed.view(size) : summed;
}
Tensor sum(const Tensor& self) { return ops::sum.call(self); }
Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim) { return ops::sum_dim.call(self, dim, keepdim); }
Tensor mean(const Tensor& self) { return ops::mean.call(self); }
Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim) { return ops::mean_dim.call(self, dim, keepdim); }

// ---- Linear algebra ----
Tensor Tensor::mm(const Tensor& other) const { return ops::mm.call(*this, other); }
Tensor Tensor::bmm(const Tensor& other) const { return ops::bmm.call(*this, other); }
Tensor Tensor::matmul(const Tensor& other) const { return ember::matmul(*this, other); }
Tensor Tensor::dot(const Tensor& other) const { return ops::dot.call(*this, other); }
Tensor Tensor::mv(const Tensor& vec) const { return ops::mv.call(*this, vec); }
Tensor mm(const Tensor& self, const Tensor& mat2) { return ops::mm.call(self, mat2); }
Tensor dot(const Tensor& self, const Tensor& other) { return ops::dot.call(self, other); }
Tensor mv(const Tensor& self, const Tensor& vec) { return ops::mv.call(self, vec); }
Tensor bmm(const Tensor& self, const Tensor& mat2) { return ops::bmm.call(self, mat2); }

namespace {
// LibTorch 1.13's should_fold: whether a batch `t` (times a matrix or vector
// of `other_dim` dims) is folded into one mm/mv. Not when folding would have
// to copy a batch of transposed matrices (`permute(0, 2, 1)`), which bmm
// reads as they are.
bool should_fold(const Tensor& t, int64_t other_dim) {
  if (t.dim() < 3 || (other_dim != 1 && other_dim != 2)) return false;
  return !(t.dim() == 3 && other_dim == 2 && t.stride(2) != 1 && t.stride(0) == t.size(1) * t.size(2));
}
}  // namespace

// LibTorch 1.13's matmul, case by case, so that results, nodes and errors
// are its own: dot, mv, mm; a batch times a matrix or vector (or a matrix
// or vector times a batch, computed transposed) folded into one mm/mv;
// anything else broadcast into bmm.
Tensor matmul(const Tensor& a, const Tensor& b) {
  const int64_t da = a.dim(), db = b.dim();
  EMBER_CHECK(da > 0 && db > 0, "both arguments to matmul need to be at least 1D, but they are ", da, "D and ", db,
              "D (sizes ", a.sizes(), " and ", b.sizes(), "). Use mul() for scalars.");
  if (da == 1 && db == 1) return a.dot(b);
  if (da == 2 && db == 1) return a.mv(b);
  if (da == 1 && db == 2) return ops::_unsafe_view.call(a.unsqueeze(0).mm(b), {b.size(1)});
  if (da == 2 && db == 2) return a.mm(b);
  if (should_fold(a, db) || should_fold(b, da)) {
    // (a b)^T = b^T a^T: with the batch on the right, fold b^T.
    const bool transpose = db > da;
    const Tensor t1 = transpose ? b.transpose(-1, -2) : a;
    const Tensor t2 = !transpose ? b : da == 2 ? a.t() : a;
    IntArrayRef batch(t1.sizes().data(), t1.dim() - 1);
    int64_t rows = 1;
    for (int64_t s : batch) rows *= s;
    DimVector out_sizes(batch);
    // Not reshape({-1, k}): with k == 0 the -1 would be ambiguous.
    const Tensor folded = t1.reshape({rows, t1.size(-1)});
    if (t2.dim() == 1) return ops::_unsafe_view.call(folded.mv(t2), out_sizes);
    out_sizes.push_back(t2.size(1));
    const Tensor out = ops::_unsafe_view.call(folded.mm(t2), out_sizes);
    return transpose ? out.transpose(-1, -2).contiguous() : out;
  }
  // Broadcast the batch dims, flatten them, bmm, unflatten.
  const int64_t n = da > 1 ? a.size(-2) : 1, m1 = a.size(-1);
  const int64_t m2 = db > 1 ? b.size(-2) : b.size(-1), p = db > 1 ? b.size(-1) : 1;
  IntArrayRef batch_a(a.sizes().data(), std::max<int64_t>(da - 2, 0));
  IntArrayRef batch_b(b.sizes().data(), std::max<int64_t>(db - 2, 0));
  DimVector batch = infer_size(batch_a, batch_b, "matmul");
  int64_t nbatch = 1;
  for (int64_t s : batch) nbatch *= s;
  DimVector ea = batch, eb = batch;
  ea.push_back(n);
  ea.push_back(m1);
  eb.push_back(m2);
  eb.push_back(p);
  Tensor out = a.expand(ea).reshape({nbatch, n, m1}).bmm(b.expand(eb).reshape({nbatch, m2, p}));
  DimVector out_sizes = batch;
  if (da > 1) out_sizes.push_back(n);
  if (db > 1) out_sizes.push_back(p);
  return ops::_unsafe_view.call(out, out_sizes);
}

// ---- Shape ----
Tensor cat(TensorList tensors, int64_t dim) {
  // Checked before dispatch: an empty list has no tensor to dispatch on.
  EMBER_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors. Pass at least one tensor.");
  return ops::cat.call(tensors, dim);
}

Tensor stack(TensorList tensors, int64_t dim) {
  // As cat's: before dispatch.
  EMBER_CHECK(!tensors.empty(), "stack expects a non-empty TensorList. Pass at least one tensor.");
  return ops::stack.call(tensors, dim);
}

// ---- Views ----
Tensor Tensor::view(IntArrayRef size) const { return ops::view.call(*this, size); }
Tensor Tensor::view_as(const Tensor& other) const { return ops::view.call(*this, other.sizes()); }
Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const { return ops::transpose.call(*this, dim0, dim1); }
Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1) { return ops::transpose.call(self, dim0, dim1); }
Tensor Tensor::t() const { return ops::t.call(*this); }
Tensor Tensor::permute(IntArrayRef dims) const { return ops::permute.call(*this, dims); }
Tensor Tensor::select(int64_t dim, int64_t index) const { return ops::select.call(*this, dim, index); }
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length) const {
  EMBER_CHECK(this->dim() > 0, "narrow() cannot be applied to a 0-dim tensor. Use view({1}) first.");
  int64_t d = detail::maybe_wrap_dim(dim, this->dim(), "narrow");
  int64_t cur = size(d);
  if (start < 0) start += cur;
  EMBER_CHECK(start >= 0 && start <= cur, "start out of range (expected to be in range of [", -cur, ", ", cur,
              "], but got ", start, ") in narrow(dim=", d, ") of sizes ", sizes(), ".");
  EMBER_CHECK(length >= 0 && start + length <= cur, "start (", start, ") + length (", length,
              ") exceeds dimension size (", cur, "). (narrow(dim=", d, ") of sizes ", sizes(),
              "; use a smaller length or start.)");
  return ops::slice.call(*this, d, start, start + length, 1);
}
Tensor Tensor::slice(int64_t dim, int64_t start, int64_t end, int64_t step) const {
  return ops::slice.call(*this, dim, start, end, step);
}
std::vector<Tensor> Tensor::unbind(int64_t dim) const { return ops::unbind.call(*this, dim); }
std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim) const {
  return ops::split.call(*this, split_size, dim);
}
std::vector<Tensor> Tensor::split_with_sizes(IntArrayRef split_sizes, int64_t dim) const {
  return ops::split_with_sizes.call(*this, split_sizes, dim);
}
std::vector<Tensor> unbind(const Tensor& self, int64_t dim) { return self.unbind(dim); }
std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim) { return self.split(split_size, dim); }
std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim) {
  return self.split_with_sizes(split_sizes, dim);
}
std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim) { return self.chunk(chunks, dim); }
// LibTorch's composite chunk: split by the rounded-up piece size, except for
// an empty dim, where split would give one piece and `chunks` empty ones are
// asked for.
std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim) const {
  EMBER_CHECK(this->dim() > 0, "chunk expects at least a 1-dimensional tensor (got a 0-dim tensor). Use view({1}) "
              "first.");
  EMBER_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks, " (chunk of sizes ", sizes(),
              "). Ask for at least one chunk.");
  const int64_t dim_size = sizes()[detail::maybe_wrap_dim(dim, this->dim(), "chunk")];
  if (dim_size == 0) return split_with_sizes(std::vector<int64_t>(static_cast<size_t>(chunks), 0), dim);
  return split((dim_size - 1) / chunks + 1, dim);  // rounded up, without overflow
}
Tensor Tensor::squeeze() const { return ops::squeeze.call(*this); }
Tensor Tensor::squeeze(int64_t dim) const { return ops::squeeze_dim.call(*this, dim); }
Tensor Tensor::unsqueeze(int64_t dim) const { return ops::unsqueeze.call(*this, dim); }
Tensor Tensor::expand(IntArrayRef size) const { return ops::expand.call(*this, size); }
Tensor Tensor::expand_as(const Tensor& other) const { return ops::expand.call(*this, other.sizes()); }
Tensor Tensor::as_strided(IntArrayRef size, IntArrayRef stride, int64_t storage_offset) const {
  return ops::as_strided.call(*this, size, stride, storage_offset);
}

Tensor Tensor::reshape(IntArrayRef size) const { return ember::reshape(*this, size); }

Tensor reshape(const Tensor& self, IntArrayRef size) {
  DimVector shape = detail::infer_view_size(size, self.numel(), "reshape");
  if (self.is_contiguous() || detail::compute_view_strides(self.sizes(), self.strides(), shape)) {
    return ops::_reshape_alias.call(self, shape);
  }
  // A copy that is not a view of anything, as LibTorch's reshape returns.
  return ops::_unsafe_view.call(ops::clone.call(self, MemoryFormat::Contiguous), shape);
}

namespace detail {
bool is_expandable_to(IntArrayRef shape, IntArrayRef target) {
  if (shape.size() > target.size()) return false;
  size_t lead = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] != target[lead + i] && shape[i] != 1) return false;
  }
  return true;
}
}  // namespace detail

// ---- Broadcasting and type promotion ----
DimVector infer_size(IntArrayRef a, IntArrayRef b, const char* op) {
  size_t n = a.size() > b.size() ? a.size() : b.size();
  DimVector out(n);
  // From the last dim, as LibTorch, so that its error names the same dim.
  for (size_t i = n; i-- > 0;) {
    // Align from the right; a missing dim counts as size 1.
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    EMBER_CHECK(da == db || da == 1 || db == 1, "The size of tensor a (", da, ") must match the size of tensor b (",
                db, ") at non-singleton dimension ", i, " (in ", op, " of sizes ", a, " and ", b,
                "). Make the sizes equal or 1 there, e.g. with unsqueeze() or view().");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

namespace {
// LibTorch's categories: a 0-dim tensor or a Scalar only changes the result
// dtype when it is of a higher category than the dimensioned operands.
int category(ScalarType t) { return t == kBool ? 0 : t == kLong ? 1 : 2; }
int category(const Scalar& s) { return s.isFloatingPoint() ? 2 : s.isBoolean() ? 0 : 1; }
ScalarType default_of_category(int c) { return c == 0 ? kBool : c == 1 ? kLong : kFloat; }
}  // namespace

ScalarType result_type(const Tensor& a, const Tensor& b) {
  ScalarType ta = a.dtype(), tb = b.dtype();
  if (ta == tb) return ta;
  bool za = a.dim() == 0, zb = b.dim() == 0;
  if (za == zb) return promoteTypes(ta, tb);
  ScalarType dimensioned = za ? tb : ta, zero_dim = za ? ta : tb;
  return category(zero_dim) > category(dimensioned) ? promoteTypes(dimensioned, zero_dim) : dimensioned;
}

ScalarType result_type(const Tensor& a, const Scalar& b) {
  ScalarType ta = a.dtype();
  int cb = category(b);
  return cb > category(ta) ? promoteTypes(ta, default_of_category(cb)) : ta;
}

Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other) {
  return ops::where.call(condition, self, other);
}
// LibTorch's Scalar overloads: the Scalar becomes a 0-dim tensor of the
// result dtype, and the tensor is converted to it (recording its own
// conversion when it requires grad).
Tensor where(const Tensor& condition, const Tensor& self, const Scalar& other) {
  if (!self.defined()) return ops::where.call(condition, self, scalar_tensor(other));  // The kernel says what is wrong.
  const ScalarType dtype = result_type(self, other);
  return ops::where.call(condition, self.to(dtype), scalar_tensor(other, dtype));
}
Tensor where(const Tensor& condition, const Scalar& self, const Tensor& other) {
  if (!other.defined()) return ops::where.call(condition, scalar_tensor(self), other);
  const ScalarType dtype = result_type(other, self);
  return ops::where.call(condition, scalar_tensor(self, dtype), other.to(dtype));
}
Tensor where(const Tensor& condition, const Scalar& self, const Scalar& other) {
  const ScalarType dtype = default_of_category(std::max(category(self), category(other)));
  return ops::where.call(condition, scalar_tensor(self, dtype), scalar_tensor(other, dtype));
}
Tensor Tensor::where(const Tensor& condition, const Tensor& other) const {
  return ember::where(condition, *this, other);
}
Tensor Tensor::where(const Tensor& condition, const Scalar& other) const {
  return ember::where(condition, *this, other);
}

// ---- Comparison ----
bool equal(const Tensor& self, const Tensor& other) {
  if (self.sizes() != other.sizes()) return false;
  return ops::eq.call(self, other, 1).sum().item<int64_t>() == self.numel();
}
bool Tensor::equal(const Tensor& other) const { return ember::equal(*this, other); }

bool allclose(const Tensor& self, const Tensor& other, double rtol, double atol) {
  DimVector shape = infer_size(self.sizes(), other.sizes(), "allclose");
  Tensor a = self.to(kDouble).expand(shape).contiguous();
  Tensor b = other.to(kDouble).expand(shape).contiguous();
  const double* pa = a.data_ptr<double>();
  const double* pb = b.data_ptr<double>();
  for (int64_t i = 0, n = a.numel(); i < n; ++i) {
    if (pa[i] == pb[i]) continue;  // Equal infinities.
    if (!(std::fabs(pa[i] - pb[i]) <= atol + rtol * std::fabs(pb[i]))) return false;
  }
  return true;
}
bool Tensor::allclose(const Tensor& other, double rtol, double atol) const {
  return ember::allclose(*this, other, rtol, atol);
}

// ---- Operators ----
Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add.call(a, b, 1); }
Tensor operator+(const Tensor& a, const Scalar& b) { return ops::add_Scalar.call(a, b, 1); }
Tensor operator+(const Scalar& a, const Tensor& b) { return ops::add_Scalar.call(b, a, 1); }
Tensor operator-(const Tensor& a, const Tensor& b) { return ops::sub.call(a, b, 1); }
Tensor operator-(const Tensor& a, const Scalar& b) { return ops::sub_Scalar.call(a, b, 1); }
namespace {
// LibTorch's C++ operators with a Scalar on the left of - and / (its
// TensorOperators.h): a tensor laid out like `b` and of b's dtype, filled
// with `a`, then the in-place op with `b`. So, exactly as there, the result
// keeps b's dtype (2.5 - an integer tensor is an integer tensor, 2.5 / one
// is refused), b's layout, and records SubBackward0 / DivBackward0.
Tensor filled_like(const Scalar& a, const Tensor& b, const char* op) {
  EMBER_CHECK(b.defined(), "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #1 "
              "'other' (in ", op, "). Pass a defined tensor.");
  Tensor out = empty_like(b);
  out.fill_(a);
  return out;
}
}  // namespace

Tensor operator-(const Scalar& a, const Tensor& b) {
  Tensor out = filled_like(a, b, "sub");
  out.sub_(b);
  return out;
}
Tensor operator*(const Tensor& a, const Tensor& b) { return ops::mul.call(a, b, 1); }
Tensor operator*(const Tensor& a, const Scalar& b) { return ops::mul_Scalar.call(a, b, 1); }
Tensor operator*(const Scalar& a, const Tensor& b) { return ops::mul_Scalar.call(b, a, 1); }
Tensor operator/(const Tensor& a, const Tensor& b) { return ops::div.call(a, b, 1); }
Tensor operator/(const Tensor& a, const Scalar& b) { return ops::div_Scalar.call(a, b, 1); }
Tensor operator/(const Scalar& a, const Tensor& b) {
  Tensor out = filled_like(a, b, "div");
  out.div_(b);
  return out;
}
Tensor operator-(const Tensor& a) { return ops::neg.call(a); }
Tensor operator==(const Tensor& a, const Tensor& b) { return ops::eq.call(a, b, 1); }
Tensor operator==(const Tensor& a, const Scalar& b) { return ops::eq_Scalar.call(a, b, 1); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ops::ne.call(a, b, 1); }
Tensor operator!=(const Tensor& a, const Scalar& b) { return ops::ne_Scalar.call(a, b, 1); }
Tensor operator<(const Tensor& a, const Tensor& b) { return ops::lt.call(a, b, 1); }
Tensor operator<(const Tensor& a, const Scalar& b) { return ops::lt_Scalar.call(a, b, 1); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return ops::le.call(a, b, 1); }
Tensor operator<=(const Tensor& a, const Scalar& b) { return ops::le_Scalar.call(a, b, 1); }
Tensor operator>(const Tensor& a, const Tensor& b) { return ops::gt.call(a, b, 1); }
Tensor operator>(const Tensor& a, const Scalar& b) { return ops::gt_Scalar.call(a, b, 1); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ops::ge.call(a, b, 1); }
Tensor operator>=(const Tensor& a, const Scalar& b) { return ops::ge_Scalar.call(a, b, 1); }
const Tensor& operator+=(const Tensor& a, const Tensor& b) { return ops::add_.call(a, b, 1); }
const Tensor& operator+=(const Tensor& a, const Scalar& b) { return ops::add__Scalar.call(a, b, 1); }
const Tensor& operator-=(const Tensor& a, const Tensor& b) { return ops::sub_.call(a, b, 1); }
const Tensor& operator-=(const Tensor& a, const Scalar& b) { return ops::sub__Scalar.call(a, b, 1); }
const Tensor& operator*=(const Tensor& a, const Tensor& b) { return ops::mul_.call(a, b, 1); }
const Tensor& operator*=(const Tensor& a, const Scalar& b) { return ops::mul__Scalar.call(a, b, 1); }
const Tensor& operator/=(const Tensor& a, const Tensor& b) { return ops::div_.call(a, b, 1); }
const Tensor& operator/=(const Tensor& a, const Scalar& b) { return ops::div__Scalar.call(a, b, 1); }

}  // namespace ember
