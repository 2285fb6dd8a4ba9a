// The AutogradCPU kernels: record a node when grad mode is on and an input
// requires grad, then run the op below autograd. Without a recording the
// cost is the requires_grad test and a redispatch.
//
// Backward formulas return one gradient per input; broadcasting and dtype
// are undone by the engine (conform_gradient). They call ops through the
// dispatcher, so under create_graph they record a graph themselves.
#include <algorithm>
#include <string_view>

#include "autograd/autograd_meta.h"
#include "autograd/forward_ad.h"
#include "autograd/functions.h"
#include "modes/grad_mode.h"
#include "modes/kernel_guards.h"
#include "tensor/ops.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace autograd {
namespace {

constexpr DispatchKey kKey = DispatchKey::AutogradCPU;
namespace fw = forward_ad::impl;

// Forward AD: `t` (a sum of JVP terms, maybe broadcast smaller) becomes the
// tangent of `out`; after an in-place op (`inplace`) it is written into out's
// tangent, which views share.
void set_out_tangent(const Tensor& out, Tensor t, bool inplace = false) {
  if (!t.defined()) return;
  if (t.sizes() != out.sizes()) t = t.expand(out.sizes()).contiguous();
  if (t.dtype() != out.dtype()) t = t.to(out.dtype());
  if (inplace) return fw::update_tangent_inplace(out, t);
  // A fresh result gets a tangent laid out like it (views of it take theirs
  // from it), never an input's tangent (see binary_jvp).
  fw::set_tangent(out, fw::with_layout_of(out, t));
}
void add_term(Tensor& acc, const Tensor& term) { acc = acc.defined() ? acc + term : term; }

// For an in-place op under forward AD: the tangents, and self's value before
// the write (only when some tangent exists).
struct InplaceTangents {
  InplaceTangents(const Tensor& self, const Tensor& other, bool keep_self = true) {
    if (__builtin_expect(!fw::is_active(), 1)) return;
    t_self = fw::tangent(self);
    t_other = other.defined() ? fw::tangent(other) : Tensor();
    active = t_self.defined() || t_other.defined();
    if (active && keep_self) {
      AutoFwGradMode off(false);
      NoGradGuard no_grad;
      self_before = self.clone();
    }
  }
  bool active = false;
  Tensor t_self, t_other, self_before;
};

inline bool requires_grad(const Tensor& t) { return t.defined() && t.requires_grad(); }

template <class... T>
inline bool compute_requires_grad(const T&... ts) {
  return (requires_grad(ts) || ...) && GradMode::is_enabled();
}

template <class... T>
std::shared_ptr<OpNode> make_node(const char* name, OpNode::Formula formula, const T&... inputs) {
  // Node and control block in one block from this thread's cache.
  auto node = std::allocate_shared<OpNode>(impl::CachingAllocator<OpNode>(), name, formula);
  node->reserve_edges(sizeof...(inputs));
  (node->add_next_edge(inputs), ...);
  return node;
}

// Saves `t` as slot `slot` if `needed`, else an empty slot (so that an
// inference tensor is refused only when its value is really needed).
void save_if(OpNode& node, bool needed, const Tensor& t, const char* op) {
  node.save(needed ? t : Tensor(), false, op);
}

// The value of `self` before an in-place op writes it, for the op's formula.
// With history when self has some, so that double backward (create_graph)
// sees how the saved value depends on the inputs, as PyTorch's original_self.
Tensor original_self(DispatchKeySet ks, const Tensor& self) {
  if (self.requires_grad()) return ops::clone.call(self, MemoryFormat::Preserve);
  return ops::clone.redispatch(keys_after(ks, kKey), self, MemoryFormat::Preserve);
}

Tensor scale(const Tensor& g, const Scalar& alpha) {
  bool one = alpha.isFloatingPoint() ? alpha.to<double>() == 1.0 : alpha.to<int64_t>() == 1;
  return one ? g : g * alpha;
}

// ---- Binary ops: formulas in terms of the original self (saved 0) and other (saved 1) ----

enum class Bin { Add, Sub, Mul, Div, Pow };

variable_list add_bw(OpNode& n, const Tensor& g) { return {g, n.should_compute_output(1) ? scale(g, n.scalar) : Tensor()}; }
variable_list sub_bw(OpNode& n, const Tensor& g) {
  return {g, n.should_compute_output(1) ? -scale(g, n.scalar) : Tensor()};
}
// The two-input formulas unpack self before other (dot and mv the other
// way round), as LibTorch's generated nodes do: when both saved tensors are
// unusable, the same one is reported.
// They then compute the inputs' gradients in the alphabetical order of the
// inputs' names, as LibTorch's generated code does (other before self, mat2
// before self, self before vec): under create_graph the nodes they record
// are then numbered, and so run, in LibTorch's order.
variable_list mul_bw(OpNode& n, const Tensor& g) {
  const Tensor a = n.saved(0), b = n.saved(1);
  Tensor grad_other = n.should_compute_output(1) ? g * a : Tensor();
  return {n.should_compute_output(0) ? g * b : Tensor(), grad_other};
}
variable_list div_bw(OpNode& n, const Tensor& g) {
  const Tensor a = n.saved(0), b = n.saved(1);
  // LibTorch's div_tensor_other_backward: -grad * ((self / other) / other).
  Tensor grad_other = n.should_compute_output(1) ? -g * ((a / b) / b) : Tensor();
  return {n.should_compute_output(0) ? g / b : Tensor(), grad_other};
}
// LibTorch's pow_backward_self and pow_backward_exponent, masked with
// where(): the base's gradient is 0 where the exponent is 0 (not
// 0 * 0^-1 = nan at a 0 base), the exponent's 0 where the base is 0 and the
// exponent >= 0 (not 0 * log 0 = nan). where() also lays the base's gradient
// out by the exponent's mask, as LibTorch's.
// The exponent's gradient uses the result (saved 2), as LibTorch's
// PowBackward1, which saves it whichever input requires grad: an in-place
// change of the result before backward is refused.
variable_list pow_bw(OpNode& n, const Tensor& g) {
  Tensor a = n.saved(0), b = n.saved(1), result = n.saved(2);
  Tensor grad_base, grad_exponent;
  if (n.should_compute_output(1)) {
    grad_exponent = g * ember::where(a.eq(0).mul(b.ge(0)), 0, result * a.log());
  }
  if (n.should_compute_output(0)) {
    grad_base = ember::where(b.eq(0.0), 0, g * (b * a.pow(b - 1)));
  }
  return {grad_base, grad_exponent};
}

struct BinSpec {
  const char* name;
  const char* inplace_name;
  OpNode::Formula formula;
  bool needs_self;   // for other's gradient
  bool needs_other;  // for self's gradient
  bool other_needs_other;
  bool saves_result;  // always, whichever input requires grad (LibTorch's PowBackward1)
};
constexpr BinSpec kBin[] = {
    {"AddBackward0", "AddBackward0", &add_bw, false, false, false, false},
    {"SubBackward0", "SubBackward0", &sub_bw, false, false, false, false},
    {"MulBackward0", "MulBackward0", &mul_bw, true, true, false, false},
    {"DivBackward0", "DivBackward0", &div_bw, true, true, true, false},
    {"PowBackward1", "PowBackward1", &pow_bw, true, true, true, true},
};

template <Bin K>
void binary_jvp(const Tensor& a, const Tensor& ta, const Tensor& b, const Tensor& tb, const Scalar& alpha,
                const Tensor& out, bool inplace = false) {
  if (!ta.defined() && !tb.defined()) return;
  AutoFwGradMode off(false);
  Tensor t;
  switch (K) {
    case Bin::Add:
      if (ta.defined()) add_term(t, ta);
      if (tb.defined()) add_term(t, scale(tb, alpha));
      break;
    case Bin::Sub:
      if (ta.defined()) add_term(t, ta);
      if (tb.defined()) add_term(t, -scale(tb, alpha));
      break;
    case Bin::Mul:
      if (ta.defined()) add_term(t, ta * b);
      if (tb.defined()) add_term(t, a * tb);
      break;
    case Bin::Div:  // LibTorch's (self_t - other_t * result) / other
      if (ta.defined() && tb.defined()) t = (ta - tb * out) / b;
      else if (ta.defined()) t = ta / b;
      else t = -(tb * out) / b;
      break;
    case Bin::Pow:  // LibTorch's: pow_bw's formulas with the tangents for the gradient
      if (ta.defined()) add_term(t, ember::where(b.eq(0.0), 0, ta * (b * a.pow(b - 1))));
      if (tb.defined()) add_term(t, tb * ember::where(a.eq(0).mul(b.ge(0)), 0, out * a.log()));
      break;
  }
  // add/sub with one tangent pass it through: copy it (an input's tangent).
  if (!inplace && t.defined() && ta.defined() && t.unsafeGetTensorImpl() == ta.unsafeGetTensorImpl()) t = ta.clone();
  set_out_tangent(out, t, inplace);
}

template <ops::Binary& Op, Bin K>
Tensor binary_record(DispatchKeySet ks, const Tensor& a, const Tensor& b, const Scalar& alpha);

template <ops::Binary& Op, Bin K>
Tensor binary(DispatchKeySet ks, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  Tensor out = binary_record<Op, K>(ks, a, b, alpha);
  if (__builtin_expect(fw::is_active(), 0)) binary_jvp<K>(a, fw::tangent(a), b, fw::tangent(b), alpha, out);
  return out;
}

template <ops::Binary& Op, Bin K>
Tensor binary_record(DispatchKeySet ks, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  if (!compute_requires_grad(a, b)) {
    AutoDispatchBelowADInplaceOrView guard;
    return Op.redispatch(keys_after(ks, kKey), a, b, alpha);
  }
  const BinSpec& spec = kBin[static_cast<int>(K)];
  auto node = make_node(spec.name, spec.formula, a, b);
  node->scalar = alpha;
  if (spec.needs_self || spec.needs_other) {  // add and sub save nothing
    bool ga = node->should_compute_output(0), gb = node->should_compute_output(1);
    node->reserve_saved(2);
    save_if(*node, spec.needs_self && (gb || (K == Bin::Pow && ga)), a, Op.name());
    save_if(*node, (spec.needs_other && ga) || (spec.other_needs_other && gb), b, Op.name());
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = Op.redispatch(keys_after(ks, kKey), a, b, alpha);
  }
  impl::set_history(out, node);
  if (spec.saves_result) node->save(out, /*is_output=*/true, Op.name());
  return out;
}

template <ops::BinaryInplace& Op, Bin K>
const Tensor& binary_(DispatchKeySet ks, const Tensor& self, const Tensor& other, const Scalar& alpha) {
  bool rg = compute_requires_grad(self, other);
  impl::check_inplace(self, Op.name(), rg);
  std::shared_ptr<OpNode> node;
  if (rg) {
    const BinSpec& spec = kBin[static_cast<int>(K)];
    node = make_node(spec.inplace_name, spec.formula, self, other);
    node->scalar = alpha;
    bool ga = node->should_compute_output(0), gb = node->should_compute_output(1);
    // The formula needs self as it was before the write.
    bool need_self = spec.needs_self && (gb || (K == Bin::Pow && ga));
    node->save(need_self ? original_self(ks, self) : Tensor(), false, Op.name());
    save_if(*node, (spec.needs_other && ga) || (spec.other_needs_other && gb), other, Op.name());
  }
  // Forward AD: the JVP needs self's value from before the write.
  InplaceTangents fwd(self, other);
  {
    AutoDispatchBelowAutograd guard;
    Op.redispatch(keys_after(ks, kKey), self, other, alpha);
  }
  if (node) {
    impl::rebase_history(self, node);
    if (kBin[static_cast<int>(K)].saves_result) node->save_inplace_result(self, node, Op.name());
  }
  if (__builtin_expect(fwd.active, 0)) binary_jvp<K>(fwd.self_before, fwd.t_self, other, fwd.t_other, alpha, self, /*inplace=*/true);
  return self;
}

template <ops::BinaryOut& Op>
const Tensor& binary_out(DispatchKeySet ks, const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  // LibTorch names the op without its overload: "mul(): ...", for mul.out.
  const std::string_view name = Op.name();
  EMBER_CHECK(!compute_requires_grad(out, a, b), name.substr(0, name.find('.')),
              "(): functions with out=... arguments don't support automatic differentiation, but one of the "
              "arguments requires grad. (Ember: ",
              Op.name(), " wrote nothing; use the out-of-place form, or run it under NoGradGuard.)");
  AutoDispatchBelowAutograd guard;
  return Op.redispatch(keys_after(ks, kKey), out, a, b, alpha);
}

// ---- Binary ops with a Scalar other ----

variable_list pass_bw(OpNode&, const Tensor& g) { return {g}; }
// LibTorch's mul.Scalar formula multiplies by the number as a tensor, so
// under create_graph it records MulBackward0 (with no edge for the number).
variable_list mul_scalar_bw(OpNode& n, const Tensor& g) {
  if (!GradMode::is_enabled()) return {g * n.scalar};
  return {g * scalar_tensor(n.scalar, g.dtype())};
}
variable_list div_scalar_bw(OpNode& n, const Tensor& g) { return {g / n.scalar}; }
variable_list pow_scalar_bw(OpNode& n, const Tensor& g) {
  double e = n.scalar.to<double>();
  // LibTorch's zeros_like(self, LEGACY_CONTIGUOUS_MEMORY_FORMAT): row-major.
  if (e == 0.0) return {zeros(n.saved(0).sizes(), n.saved(0).dtype())};
  return {g * (n.saved(0).pow(e - 1) * e)};  // LibTorch's grad * (exp * self.pow(exp - 1))
}
struct ScalarSpec {
  const char* name;
  OpNode::Formula formula;
  bool needs_self;
};
constexpr ScalarSpec kScalar[] = {
    {"AddBackward1", &pass_bw, false},      {"SubBackward1", &pass_bw, false},
    {"MulBackward1", &mul_scalar_bw, false}, {"DivBackward1", &div_scalar_bw, false},
    {"PowBackward0", &pow_scalar_bw, true},
};

template <Bin K>
void binary_scalar_jvp(const Tensor& a, const Tensor& ta, const Scalar& other, const Tensor& out,
                       bool inplace = false) {
  if (!ta.defined()) return;
  AutoFwGradMode off(false);
  switch (K) {
    case Bin::Add:
    case Bin::Sub:
      return set_out_tangent(out, inplace ? ta : ta.clone(), inplace);
    case Bin::Mul:
      return set_out_tangent(out, ta * other, inplace);
    case Bin::Div:
      return set_out_tangent(out, ta / other, inplace);
    case Bin::Pow: {
      double e = other.to<double>();
      return set_out_tangent(out, e == 0.0 ? zeros(a.sizes(), a.dtype()) : ta * (a.pow(e - 1) * e), inplace);
    }
  }
}

template <ops::BinaryScalar& Op, Bin K>
Tensor binary_scalar_record(DispatchKeySet ks, const Tensor& a, const Scalar& other, const Scalar& alpha);

template <ops::BinaryScalar& Op, Bin K>
Tensor binary_scalar(DispatchKeySet ks, const Tensor& a, const Scalar& other, const Scalar& alpha) {
  Tensor out = binary_scalar_record<Op, K>(ks, a, other, alpha);
  if (__builtin_expect(fw::is_active(), 0)) binary_scalar_jvp<K>(a, fw::tangent(a), other, out);
  return out;
}

template <ops::BinaryScalar& Op, Bin K>
Tensor binary_scalar_record(DispatchKeySet ks, const Tensor& a, const Scalar& other, const Scalar& alpha) {
  if (!compute_requires_grad(a)) {
    AutoDispatchBelowADInplaceOrView guard;
    return Op.redispatch(keys_after(ks, kKey), a, other, alpha);
  }
  const ScalarSpec& spec = kScalar[static_cast<int>(K)];
  auto node = make_node(spec.name, spec.formula, a);
  node->scalar = other;
  save_if(*node, spec.needs_self, a, Op.name());
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = Op.redispatch(keys_after(ks, kKey), a, other, alpha);
  }
  impl::set_history(out, std::move(node));
  return out;
}

template <ops::BinaryScalarInplace& Op, Bin K>
const Tensor& binary_scalar_(DispatchKeySet ks, const Tensor& self, const Scalar& other, const Scalar& alpha) {
  bool rg = compute_requires_grad(self);
  impl::check_inplace(self, Op.name(), rg);
  std::shared_ptr<OpNode> node;
  if (rg) {
    const ScalarSpec& spec = kScalar[static_cast<int>(K)];
    node = make_node(spec.name, spec.formula, self);
    node->scalar = other;
    node->save(spec.needs_self ? original_self(ks, self) : Tensor(), false, Op.name());
  }
  InplaceTangents fwd(self, Tensor());
  {
    AutoDispatchBelowAutograd guard;
    Op.redispatch(keys_after(ks, kKey), self, other, alpha);
  }
  if (node) impl::rebase_history(self, node);
  if (__builtin_expect(fwd.active, 0)) binary_scalar_jvp<K>(fwd.self_before, fwd.t_self, other, self, /*inplace=*/true);
  return self;
}

// ---- Unary ops ----

enum class Un { Neg, Exp, Log, Relu, Sigmoid, Tanh };
variable_list neg_bw(OpNode&, const Tensor& g) { return {-g}; }
variable_list exp_bw(OpNode& n, const Tensor& g) { return {g * n.saved(0)}; }
variable_list log_bw(OpNode& n, const Tensor& g) { return {g / n.saved(0)}; }
// LibTorch's threshold_backward(grad, result, 0): under create_graph the
// gradient depends on the result too, so it requires grad even where the
// network is piecewise linear, and its own derivative there is zeros.
variable_list relu_bw(OpNode& n, const Tensor& g) { return {ops::threshold_backward.call(g, n.saved(0), 0)}; }
// LibTorch's sigmoid_backward and tanh_backward ops, with their rounding.
variable_list sigmoid_bw(OpNode& n, const Tensor& g) { return {ops::sigmoid_backward.call(g, n.saved(0), 1)}; }
variable_list tanh_bw(OpNode& n, const Tensor& g) { return {ops::tanh_backward.call(g, n.saved(0), 1)}; }
struct UnSpec {
  const char* name;
  OpNode::Formula formula;
  bool saves_input;   // log
  bool saves_result;  // exp, relu, sigmoid, tanh
};
constexpr UnSpec kUn[] = {
    {"NegBackward0", &neg_bw, false, false},   {"ExpBackward0", &exp_bw, false, true},
    {"LogBackward0", &log_bw, true, false},    {"ReluBackward0", &relu_bw, false, true},
    {"SigmoidBackward0", &sigmoid_bw, false, true}, {"TanhBackward0", &tanh_bw, false, true},
};

template <Un K>
void unary_jvp(const Tensor& a, const Tensor& ta, const Tensor& out, bool inplace = false) {
  if (!ta.defined()) return;
  AutoFwGradMode off(false);
  switch (K) {
    case Un::Neg:
      return set_out_tangent(out, -ta, inplace);
    case Un::Exp:
      return set_out_tangent(out, ta * out, inplace);
    case Un::Log:
      return set_out_tangent(out, ta / a, inplace);
    case Un::Relu:
      return set_out_tangent(out, ops::threshold_backward.call(ta, out, 0), inplace);
    case Un::Sigmoid:
      return set_out_tangent(out, ops::sigmoid_backward.call(ta, out, 1), inplace);
    case Un::Tanh:
      return set_out_tangent(out, ops::tanh_backward.call(ta, out, 1), inplace);
  }
}

template <ops::Unary& Op, Un K>
Tensor unary_record(DispatchKeySet ks, const Tensor& a);

template <ops::Unary& Op, Un K>
Tensor unary(DispatchKeySet ks, const Tensor& a) {
  Tensor out = unary_record<Op, K>(ks, a);
  if (__builtin_expect(fw::is_active(), 0)) unary_jvp<K>(a, fw::tangent(a), out);
  return out;
}

template <ops::Unary& Op, Un K>
Tensor unary_record(DispatchKeySet ks, const Tensor& a) {
  if (!compute_requires_grad(a)) {
    AutoDispatchBelowADInplaceOrView guard;
    return Op.redispatch(keys_after(ks, kKey), a);
  }
  const UnSpec& spec = kUn[static_cast<int>(K)];
  auto node = make_node(spec.name, spec.formula, a);
  if (spec.saves_input) node->save(a, false, Op.name());
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = Op.redispatch(keys_after(ks, kKey), a);
  }
  impl::set_history(out, node);
  if (spec.saves_result) node->save(out, true, Op.name());
  return out;
}

template <ops::UnaryInplace& Op, Un K>
const Tensor& unary_(DispatchKeySet ks, const Tensor& self) {
  bool rg = compute_requires_grad(self);
  impl::check_inplace(self, Op.name(), rg);
  std::shared_ptr<OpNode> node;
  const UnSpec& spec = kUn[static_cast<int>(K)];
  if (rg) {
    node = make_node(spec.name, spec.formula, self);
    if (spec.saves_input) node->save(original_self(ks, self), false, Op.name());
  }
  InplaceTangents fwd(self, Tensor());
  {
    AutoDispatchBelowAutograd guard;
    Op.redispatch(keys_after(ks, kKey), self);
  }
  if (__builtin_expect(fwd.active, 0)) unary_jvp<K>(fwd.self_before, fwd.t_self, self, /*inplace=*/true);
  if (node) {
    impl::rebase_history(self, node);
    if (spec.saves_result) node->save_inplace_result(self, node, Op.name());
  }
  return self;
}

// ---- Copies ----

variable_list zero_self_bw(OpNode&, const Tensor& g) { return {zeros_like(g)}; }
// LibTorch's CopyBackwards: self's gradient is zeros_like(grad,
// LEGACY_CONTIGUOUS_MEMORY_FORMAT), row-major whatever grad's layout.
variable_list copy_bw(OpNode& n, const Tensor& g) {
  return {zeros(g.sizes(), g.dtype()), n.should_compute_output(1) ? g : Tensor()};
}

const Tensor& copy_(DispatchKeySet ks, const Tensor& self, const Tensor& src) {
  // An integer or bool tensor cannot require grad, whatever it copies.
  bool rg = compute_requires_grad(self, src) && isFloatingType(self.dtype());
  impl::check_inplace(self, "copy_", rg);
  std::shared_ptr<OpNode> node;
  if (rg) node = make_node("CopyBackwards", &copy_bw, self, src);
  InplaceTangents fwd(self, src, /*keep_self=*/false);
  {
    AutoDispatchBelowAutograd guard;
    ops::copy_.redispatch(keys_after(ks, kKey), self, src);
  }
  if (node) impl::rebase_history(self, node);
  // Forward AD: self now holds src, and so its tangent holds src's (or zeros).
  if (__builtin_expect(fwd.active, 0) && isFloatingType(self.dtype())) {
    AutoFwGradMode off(false);
    set_out_tangent(self, fwd.t_other.defined() ? fwd.t_other : zeros_like(self), /*inplace=*/true);
  }
  return self;
}

// Forward AD after fill_/zero_: the values are constants now. Zeroed in
// place, since the base and the other views share the tangent.
void zero_tangent(const Tensor& t) {
  AutoFwGradMode off(false);
  NoGradGuard no_grad;
  t.zero_();
}

const Tensor& fill_(DispatchKeySet ks, const Tensor& self, const Scalar& value) {
  bool rg = compute_requires_grad(self);
  impl::check_inplace(self, "fill_", rg);
  std::shared_ptr<OpNode> node;
  if (rg) node = make_node("FillBackward2", &zero_self_bw, self);  // LibTorch's name for fill_.Scalar
  InplaceTangents fwd(self, Tensor(), /*keep_self=*/false);
  {
    AutoDispatchBelowAutograd guard;
    ops::fill_.redispatch(keys_after(ks, kKey), self, value);
  }
  if (node) impl::rebase_history(self, node);
  if (__builtin_expect(fwd.active, 0)) zero_tangent(fwd.t_self);
  return self;
}

const Tensor& zero_(DispatchKeySet ks, const Tensor& self) {
  bool rg = compute_requires_grad(self);
  impl::check_inplace(self, "zero_", rg);
  std::shared_ptr<OpNode> node;
  if (rg) node = make_node("ZeroBackward0", &zero_self_bw, self);
  InplaceTangents fwd(self, Tensor(), /*keep_self=*/false);
  {
    AutoDispatchBelowAutograd guard;
    ops::zero_.redispatch(keys_after(ks, kKey), self);
  }
  if (node) impl::rebase_history(self, node);
  if (__builtin_expect(fwd.active, 0)) zero_tangent(fwd.t_self);
  return self;
}

// detach_ as LibTorch's VariableTypeManual: the tensor becomes a leaf that
// does not require grad; graphs that already use it keep their nodes (and
// its old hooks, which stay with them). Views are refused: their history is
// their base's. Under InferenceMode this kernel does not run, and detach_
// does nothing, as in LibTorch.
const Tensor& detach_(DispatchKeySet ks, const Tensor& self) {
  AutogradMeta* meta = impl::get_autograd_meta(self);
  EMBER_CHECK(meta == nullptr || !meta->is_view_,
              "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for "
              "training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence "
              "detach_() cannot be called on these gradients. To fix this error, please refer to the "
              "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution. (Ember: detach_ of a "
              "view of sizes ",
              self.sizes(), "; detach() returns a tensor without history over the same data.)");
  if (meta != nullptr) {
    // A non-leaf's hooks belong to its old grad_fn; a leaf's stay its own.
    if (meta->grad_fn_ != nullptr) meta->hooks_.reset();
    meta->requires_grad_ = false;
    meta->grad_fn_.reset();
    meta->output_nr_ = 0;
    meta->fw_grad_ = Tensor();
  }
  return ops::detach_.redispatch(keys_after(ks, kKey), self);
}

// ---- Ops of one tensor and some ints: the common recording shape ----

// Ops linear in their tensor argument: the tangent goes through the same op.
template <class Op, class... Args>
Tensor record_only(Op& op, const char* name, OpNode::Formula formula, DispatchKeySet ks, const Tensor& a,
                   void (*fill)(OpNode&, const Tensor&, const Args&...), const Args&... args);

template <class Op, class... Args>
Tensor record(Op& op, const char* name, OpNode::Formula formula, DispatchKeySet ks, const Tensor& a,
              void (*fill)(OpNode&, const Tensor&, const Args&...), const Args&... args) {
  Tensor out = record_only(op, name, formula, ks, a, fill, args...);
  if (__builtin_expect(fw::is_active(), 0)) {
    Tensor ta = fw::tangent(a);
    if (ta.defined()) {
      AutoFwGradMode off(false);
      fw::set_tangent(out, op.call(ta, args...));
    }
  }
  return out;
}

template <class Op, class... Args>
Tensor record_only(Op& op, const char* name, OpNode::Formula formula, DispatchKeySet ks, const Tensor& a,
                   void (*fill)(OpNode&, const Tensor&, const Args&...), const Args&... args) {
  if (!compute_requires_grad(a)) {
    AutoDispatchBelowADInplaceOrView guard;
    return op.redispatch(keys_after(ks, kKey), a, args...);
  }
  auto node = make_node(name, formula, a);
  if (fill != nullptr) fill(*node, a, args...);
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = op.redispatch(keys_after(ks, kKey), a, args...);
  }
  impl::set_history(out, std::move(node));
  return out;
}

// The input's sizes are in the node's input metadata already: nothing to keep.
void keep_sizes(OpNode&, const Tensor&) {}
IntArrayRef in_sizes(const OpNode& n) { return n.input_metas()[0].sizes; }

Tensor clone(DispatchKeySet ks, const Tensor& a, MemoryFormat format) {
  return record<decltype(ops::clone), MemoryFormat>(
      ops::clone, "CloneBackward0", &pass_bw, ks, a,
      static_cast<void (*)(OpNode&, const Tensor&, const MemoryFormat&)>(nullptr), format);
}
Tensor to_copy(DispatchKeySet ks, const Tensor& a, ScalarType dtype) {
  if (!isFloatingType(dtype)) {
    // An integer or bool result cannot require grad: no node, as in LibTorch.
    AutoDispatchBelowADInplaceOrView guard;
    return ops::_to_copy.redispatch(keys_after(ks, kKey), a, dtype);
  }
  return record<decltype(ops::_to_copy), ScalarType>(ops::_to_copy, "ToCopyBackward0", &pass_bw, ks, a,
                                                     static_cast<void (*)(OpNode&, const Tensor&, const ScalarType&)>(nullptr), dtype);
}

// ---- Reductions ----

DimVector reduced_dims(IntArrayRef dims, int64_t ndim) {
  DimVector out;
  for (int64_t d : dims) out.push_back(detail::maybe_wrap_dim(d, ndim, "sum"));
  if (dims.empty()) {
    for (int64_t d = 0; d < ndim; ++d) out.push_back(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}
Tensor unreduce(OpNode& n, const Tensor& g) {
  Tensor r = g;
  if (!n.flag) {
    for (int64_t d : n.ints) r = r.unsqueeze(d);
  }
  return r.expand(in_sizes(n));
}
int64_t reduced_count(OpNode& n) {
  int64_t c = 1;
  for (int64_t d : n.ints) c *= in_sizes(n)[d];
  return c;
}

variable_list sum_bw(OpNode& n, const Tensor& g) { return {g.expand(in_sizes(n))}; }
variable_list mean_bw(OpNode& n, const Tensor& g) {
  int64_t c = 1;
  for (int64_t s : in_sizes(n)) c *= s;
  return {g.expand(in_sizes(n)) / c};
}
variable_list sum_dim_bw(OpNode& n, const Tensor& g) { return {unreduce(n, g)}; }
variable_list mean_dim_bw(OpNode& n, const Tensor& g) {
  (void)n.saved(0);  // read, as LibTorch's formula reads self: its version is checked
  return {unreduce(n, g) / reduced_count(n)};
}
void keep_reduction(OpNode& n, const Tensor& a, const IntArrayRef& dims, const bool& keepdim) {
  n.ints = reduced_dims(dims, a.dim());
  n.flag = keepdim;
}
// LibTorch's MeanBackward1 saves self (its formula takes self.numel()), so
// an in-place change of self between mean(dim) and backward is refused
// there, and an inference tensor cannot be saved: the same here.
void keep_mean_reduction(OpNode& n, const Tensor& a, const IntArrayRef& dims, const bool& keepdim) {
  keep_reduction(n, a, dims, keepdim);
  n.save(a, false, "mean");
}

Tensor sum(DispatchKeySet ks, const Tensor& a) {
  return record(ops::sum, "SumBackward0", &sum_bw, ks, a, &keep_sizes);
}
Tensor mean(DispatchKeySet ks, const Tensor& a) {
  return record(ops::mean, "MeanBackward0", &mean_bw, ks, a, &keep_sizes);
}
Tensor sum_dim(DispatchKeySet ks, const Tensor& a, IntArrayRef dims, bool keepdim) {
  return record<decltype(ops::sum_dim), IntArrayRef, bool>(ops::sum_dim, "SumBackward1", &sum_dim_bw, ks, a,
                                                           &keep_reduction, dims, keepdim);
}
Tensor mean_dim(DispatchKeySet ks, const Tensor& a, IntArrayRef dims, bool keepdim) {
  return record<decltype(ops::mean_dim), IntArrayRef, bool>(ops::mean_dim, "MeanBackward1", &mean_dim_bw, ks, a,
                                                            &keep_mean_reduction, dims, keepdim);
}

// ---- where ----

// LibTorch's WhereBackward0: each input's gradient is the output's where it
// was chosen, else 0 (other's first, as LibTorch's generated code orders
// them); the condition is saved, never differentiated.
variable_list where_bw(OpNode& n, const Tensor& g) {
  const Tensor condition = n.saved(0);
  Tensor grad_other = n.should_compute_output(1) ? ember::where(condition, 0, g) : Tensor();
  return {n.should_compute_output(0) ? ember::where(condition, g, 0) : Tensor(), grad_other};
}

Tensor where_record(DispatchKeySet ks, const Tensor& condition, const Tensor& self, const Tensor& other) {
  if (!compute_requires_grad(self, other)) {
    AutoDispatchBelowADInplaceOrView guard;
    return ops::where.redispatch(keys_after(ks, kKey), condition, self, other);
  }
  auto node = make_node("WhereBackward0", &where_bw, self, other);
  node->save(condition, false, "where");
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = ops::where.redispatch(keys_after(ks, kKey), condition, self, other);
  }
  impl::set_history(out, std::move(node));
  return out;
}

// Forward AD: where(condition, self_t, other_t), a missing tangent as zeros.
Tensor where(DispatchKeySet ks, const Tensor& condition, const Tensor& self, const Tensor& other) {
  Tensor out = where_record(ks, condition, self, other);
  if (__builtin_expect(fw::is_active(), 0)) {
    Tensor ta = fw::tangent(self), tb = fw::tangent(other);
    if (ta.defined() || tb.defined()) {
      AutoFwGradMode off(false);
      set_out_tangent(out, ember::where(condition, ta.defined() ? ta : zeros_like(self),
                                        tb.defined() ? tb : zeros_like(other)));
    }
  }
  return out;
}

// ---- threshold_backward (relu's backward, differentiated again) ----

// LibTorch's ThresholdBackwardBackward0: the gradient's own gradient is
// masked the same way; self's is zeros.
variable_list threshold_backward_bw(OpNode& n, const Tensor& g) {
  return {n.should_compute_output(0) ? ops::threshold_backward.call(g, n.saved(0), n.scalar) : Tensor(),
          n.should_compute_output(1) ? zeros_like(g) : Tensor()};
}

// d/dy of sigmoid_backward(grad_output, y) and tanh_backward(grad_output, y)
// applied to `g` (a gradient, or y's tangent), in LibTorch's order of products.
Tensor sigmoid_backward_wrt_y(const Tensor& g, const Tensor& grad_output, const Tensor& y) {
  return g * grad_output * (y * -2 + 1);
}
Tensor tanh_backward_wrt_y(const Tensor& g, const Tensor& grad_output, const Tensor& y) {
  return g * (y * -2 * grad_output);
}

// LibTorch's SigmoidBackwardBackward0 and TanhBackwardBackward0 (y is the
// forward's result): grad_output's gradient first, as LibTorch's generated
// code orders them.
template <ops::Binary& Op, Tensor (*WrtY)(const Tensor&, const Tensor&, const Tensor&)>
variable_list activation_backward_bw(OpNode& n, const Tensor& g) {
  const Tensor grad_output = n.saved(0), y = n.saved(1);
  Tensor grad_grad_output = n.should_compute_output(0) ? Op.call(g, y, 1) : Tensor();
  return {grad_grad_output, n.should_compute_output(1) ? WrtY(g, grad_output, y) : Tensor()};
}

// The three activation-backward ops of two tensors: grad_output, and the
// forward's input or result. `scalar`: threshold_backward's threshold.
enum class ActBw { Threshold, Sigmoid, Tanh };
struct ActBwSpec {
  ops::Binary* op;
  const char* name;
  OpNode::Formula formula;
};
const ActBwSpec kActBw[] = {
    {&ops::threshold_backward, "ThresholdBackwardBackward0", &threshold_backward_bw},
    {&ops::sigmoid_backward, "SigmoidBackwardBackward0",
     &activation_backward_bw<ops::sigmoid_backward, &sigmoid_backward_wrt_y>},
    {&ops::tanh_backward, "TanhBackwardBackward0", &activation_backward_bw<ops::tanh_backward, &tanh_backward_wrt_y>},
};

template <ActBw K>
Tensor activation_backward_record(DispatchKeySet ks, const Tensor& grad_output, const Tensor& y, const Scalar& scalar) {
  const ActBwSpec& spec = kActBw[static_cast<int>(K)];
  if (!compute_requires_grad(grad_output, y)) {
    AutoDispatchBelowADInplaceOrView guard;
    return spec.op->redispatch(keys_after(ks, kKey), grad_output, y, scalar);
  }
  auto node = make_node(spec.name, spec.formula, grad_output, y);
  node->scalar = scalar;
  if (K == ActBw::Threshold) {
    save_if(*node, node->should_compute_output(0), y, spec.op->name());
  } else {
    node->reserve_saved(2);
    save_if(*node, node->should_compute_output(1), grad_output, spec.op->name());
    node->save(y, false, spec.op->name());
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = spec.op->redispatch(keys_after(ks, kKey), grad_output, y, scalar);
  }
  impl::set_history(out, std::move(node));
  return out;
}

template <ActBw K>
Tensor activation_backward(DispatchKeySet ks, const Tensor& grad_output, const Tensor& y, const Scalar& scalar) {
  Tensor out = activation_backward_record<K>(ks, grad_output, y, scalar);
  if (__builtin_expect(fw::is_active(), 0)) {
    Tensor t = fw::tangent(grad_output), t_y = fw::tangent(y);
    if (t.defined() || t_y.defined()) {
      AutoFwGradMode off(false);
      const ops::Binary& op = *kActBw[static_cast<int>(K)].op;
      Tensor tangent;
      if (t.defined()) add_term(tangent, op.call(t, y, scalar));
      if (t_y.defined()) {
        if (K == ActBw::Sigmoid) add_term(tangent, sigmoid_backward_wrt_y(t_y, grad_output, y));
        if (K == ActBw::Tanh) add_term(tangent, tanh_backward_wrt_y(t_y, grad_output, y));
      }
      set_out_tangent(out, tangent.defined() ? tangent : zeros_like(out));
    }
  }
  return out;
}

// ---- Linear algebra ----

// LibTorch's mm_mat1_backward/mm_mat2_backward: an input that was
// column-major when mm ran (i0 for self, i1 for mat2) gets its gradient
// computed transposed, so column-major too.
bool is_column_major(const Tensor& m) { return m.stride(0) == 1 && m.stride(1) == m.size(0); }
variable_list mm_bw(OpNode& n, const Tensor& g) {
  const Tensor a = n.saved(0), b = n.saved(1);
  Tensor grad_a, grad_b;
  if (n.should_compute_output(1)) grad_b = n.i1 ? g.t().mm(a).t() : a.t().mm(g);
  if (n.should_compute_output(0)) grad_a = n.i0 ? b.mm(g.t()).t() : g.mm(b.t());
  return {grad_a, grad_b};
}
variable_list bmm_bw(OpNode& n, const Tensor& g) {
  const Tensor a = n.saved(0), b = n.saved(1);
  Tensor grad_mat2 = n.should_compute_output(1) ? a.transpose(1, 2).bmm(g) : Tensor();
  return {n.should_compute_output(0) ? g.bmm(b.transpose(1, 2)) : Tensor(), grad_mat2};
}

// dot and mv unpack their second input first, as LibTorch's DotBackward0
// and MvBackward0 (their first formula uses it), so of two unusable saved
// tensors the same one is reported.
variable_list dot_bw(OpNode& n, const Tensor& g) {
  const Tensor b = n.saved(1), a = n.saved(0);
  return {n.should_compute_output(0) ? g * b : Tensor(), n.should_compute_output(1) ? g * a : Tensor()};
}
// LibTorch's: grad.ger(vec) (an outer product: each element one product) and
// self.t().mv(grad).
variable_list mv_bw(OpNode& n, const Tensor& g) {
  const Tensor b = n.saved(1), a = n.saved(0);
  return {n.should_compute_output(0) ? g.reshape({g.size(0), 1}) * b : Tensor(),
          n.should_compute_output(1) ? a.t().mv(g) : Tensor()};
}

template <Operator<Tensor(const Tensor&, const Tensor&)>& Op>
Tensor matmul_record(DispatchKeySet ks, const Tensor& a, const Tensor& b);

template <Operator<Tensor(const Tensor&, const Tensor&)>& Op>
Tensor matmul_like(DispatchKeySet ks, const Tensor& a, const Tensor& b) {
  Tensor out = matmul_record<Op>(ks, a, b);
  if (__builtin_expect(fw::is_active(), 0)) {
    Tensor ta = fw::tangent(a), tb = fw::tangent(b);
    if (ta.defined() || tb.defined()) {
      AutoFwGradMode off(false);
      Tensor t;
      if (ta.defined()) add_term(t, Op.call(ta, b));
      if (tb.defined()) add_term(t, Op.call(a, tb));
      set_out_tangent(out, t);
    }
  }
  return out;
}

template <Operator<Tensor(const Tensor&, const Tensor&)>& Op>
Tensor matmul_record(DispatchKeySet ks, const Tensor& a, const Tensor& b) {
  if (!compute_requires_grad(a, b)) {
    AutoDispatchBelowADInplaceOrView guard;
    return Op.redispatch(keys_after(ks, kKey), a, b);
  }
  const char* name = &Op == &ops::mm    ? "MmBackward0"
                     : &Op == &ops::bmm ? "BmmBackward0"
                     : &Op == &ops::dot ? "DotBackward0"
                                        : "MvBackward0";
  OpNode::Formula formula = &Op == &ops::mm    ? &mm_bw
                            : &Op == &ops::bmm ? &bmm_bw
                            : &Op == &ops::dot ? &dot_bw
                                               : &mv_bw;
  auto node = make_node(name, formula, a, b);
  save_if(*node, node->should_compute_output(1), a, Op.name());
  save_if(*node, node->should_compute_output(0), b, Op.name());
  if (&Op == &ops::mm && a.dim() == 2 && b.dim() == 2) {
    node->i0 = is_column_major(a);
    node->i1 = is_column_major(b);
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = Op.redispatch(keys_after(ks, kKey), a, b);
  }
  impl::set_history(out, std::move(node));
  return out;
}

// ---- cat, stack ----

// Each input's slice of g; a legacy empty input (1-D, size 0), which cat
// skipped, gets an empty gradient of its own shape, as in LibTorch.
variable_list cat_bw(OpNode& n, const Tensor& g) {
  variable_list out;
  int64_t offset = 0;
  for (const DimVector& s : n.shapes) {
    if (s.size() == 1 && s[0] == 0) {
      out.push_back(zeros({0}, g.dtype()));
      continue;
    }
    const int64_t len = s[n.i0];
    out.push_back(g.narrow(n.i0, offset, len));
    offset += len;
  }
  return out;
}

// LibTorch's StackBackward0: each input's gradient is its slice of g.
variable_list stack_bw(OpNode& n, const Tensor& g) {
  variable_list out;
  for (size_t i = 0; i < n.shapes.size(); ++i) out.push_back(g.select(n.i0, static_cast<int64_t>(i)));
  return out;
}

// cat and stack: one node over a list of inputs.
template <Operator<Tensor(TensorList, int64_t)>& Op>
Tensor list_record(DispatchKeySet ks, TensorList tensors, int64_t dim) {
  bool rg = false;
  for (const Tensor& t : tensors) rg |= requires_grad(t);
  if (!rg || !GradMode::is_enabled()) {
    AutoDispatchBelowADInplaceOrView guard;
    return Op.redispatch(keys_after(ks, kKey), tensors, dim);
  }
  const bool is_cat = &Op == &ops::cat;
  auto node = std::make_shared<OpNode>(is_cat ? "CatBackward0" : "StackBackward0", is_cat ? &cat_bw : &stack_bw);
  for (const Tensor& t : tensors) {
    node->add_next_edge(t);
    node->shapes.push_back(DimVector(t.sizes()));
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = Op.redispatch(keys_after(ks, kKey), tensors, dim);
  }
  node->i0 = detail::maybe_wrap_dim(dim, out.dim(), Op.name());
  impl::set_history(out, std::move(node));
  return out;
}

template <Operator<Tensor(TensorList, int64_t)>& Op>
Tensor list_op(DispatchKeySet ks, TensorList tensors, int64_t dim) {
  Tensor out = list_record<Op>(ks, tensors, dim);
  if (__builtin_expect(fw::is_active(), 0)) {
    bool any = false;
    std::vector<Tensor> tangents;
    for (const Tensor& t : tensors) {
      Tensor tt = fw::tangent(t);
      any |= tt.defined();
      tangents.push_back(tt);
    }
    if (any) {
      AutoFwGradMode off(false);
      for (size_t i = 0; i < tangents.size(); ++i) {
        if (!tangents[i].defined()) tangents[i] = zeros_like(tensors[i]);
      }
      fw::set_tangent(out, Op.call(tangents, dim));
    }
  }
  return out;
}

// ---- Views ----

variable_list reshape_bw(OpNode& n, const Tensor& g) { return {g.reshape(in_sizes(n))}; }
variable_list transpose_bw(OpNode& n, const Tensor& g) { return {g.transpose(n.i0, n.i1)}; }
variable_list permute_bw(OpNode& n, const Tensor& g) {
  DimVector inverse(n.ints.size());
  for (size_t i = 0; i < n.ints.size(); ++i) inverse[n.ints[i]] = static_cast<int64_t>(i);
  return {g.permute(inverse)};
}
variable_list select_bw(OpNode& n, const Tensor& g) { return {ops::select_backward.call(g, in_sizes(n), n.i0, n.i1)}; }
variable_list slice_bw(OpNode& n, const Tensor& g) {
  return {ops::slice_backward.call(g, in_sizes(n), n.i0, n.i1, n.i2, n.i3)};
}
variable_list as_strided_bw(OpNode& n, const Tensor& g) {
  return {as_strided_backward(g, {n.shapes[0], n.shapes[1], n.i0}, {n.shapes[2], n.shapes[3], n.i1})};
}

void keep_view_sizes(OpNode& n, const Tensor& a, const IntArrayRef&) { keep_sizes(n, a); }
Tensor view(DispatchKeySet ks, const Tensor& a, IntArrayRef size) {
  return record<decltype(ops::view), IntArrayRef>(ops::view, "ViewBackward0", &reshape_bw, ks, a, &keep_view_sizes,
                                                  size);
}
Tensor unsafe_view(DispatchKeySet ks, const Tensor& a, IntArrayRef size) {
  return record<decltype(ops::_unsafe_view), IntArrayRef>(ops::_unsafe_view, "UnsafeViewBackward0", &reshape_bw, ks,
                                                          a, &keep_view_sizes, size);
}
Tensor expand(DispatchKeySet ks, const Tensor& a, IntArrayRef size) {
  return record<decltype(ops::expand), IntArrayRef>(ops::expand, "ExpandBackward0", &pass_bw, ks, a,
                                                    &keep_view_sizes, size);
}
void keep_perm(OpNode& n, const Tensor& a, const IntArrayRef& dims) {
  for (int64_t d : dims) n.ints.push_back(detail::maybe_wrap_dim(d, a.dim(), "permute"));
}
Tensor permute(DispatchKeySet ks, const Tensor& a, IntArrayRef dims) {
  return record<decltype(ops::permute), IntArrayRef>(ops::permute, "PermuteBackward0", &permute_bw, ks, a,
                                                     &keep_perm, dims);
}
void keep_transpose(OpNode& n, const Tensor&, const int64_t& d0, const int64_t& d1) {
  n.i0 = d0;
  n.i1 = d1;
}
variable_list t_bw(OpNode&, const Tensor& g) { return {g.t()}; }
Tensor t(DispatchKeySet ks, const Tensor& a) {
  return record(ops::t, "TBackward0", &t_bw, ks, a, static_cast<void (*)(OpNode&, const Tensor&)>(nullptr));
}
Tensor reshape_alias(DispatchKeySet ks, const Tensor& a, IntArrayRef size) {
  return record<decltype(ops::_reshape_alias), IntArrayRef>(ops::_reshape_alias, "ReshapeAliasBackward0", &reshape_bw,
                                                            ks, a, &keep_view_sizes, size);
}
Tensor transpose(DispatchKeySet ks, const Tensor& a, int64_t d0, int64_t d1) {
  return record<decltype(ops::transpose), int64_t, int64_t>(ops::transpose, "TransposeBackward0", &transpose_bw, ks,
                                                            a, &keep_transpose, d0, d1);
}
void keep_select(OpNode& n, const Tensor& a, const int64_t& dim, const int64_t& index) {
  keep_sizes(n, a);
  n.i0 = dim;
  n.i1 = index;
}
Tensor select(DispatchKeySet ks, const Tensor& a, int64_t dim, int64_t index) {
  return record<decltype(ops::select), int64_t, int64_t>(ops::select, "SelectBackward0", &select_bw, ks, a,
                                                         &keep_select, dim, index);
}
void keep_slice(OpNode& n, const Tensor& a, const int64_t& dim, const int64_t& start, const int64_t& end,
                const int64_t& step) {
  keep_sizes(n, a);
  n.i0 = dim;
  n.i1 = start;
  n.i2 = end;
  n.i3 = step;
}
Tensor slice(DispatchKeySet ks, const Tensor& a, int64_t dim, int64_t start, int64_t end, int64_t step) {
  return record<decltype(ops::slice), int64_t, int64_t, int64_t, int64_t>(
      ops::slice, "SliceBackward0", &slice_bw, ks, a, &keep_slice, dim, start, end, step);
}
// unbind, split, split_with_sizes: one PiecesBackward node for all pieces,
// each piece its output number `i`. Linear, so a tangent is split the same way.
template <class Op, class... Args>
std::vector<Tensor> record_pieces(Op& op, const char* name, bool stacks, DispatchKeySet ks, const Tensor& a,
                                  int64_t dim, const Args&... args) {
  std::vector<Tensor> out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = op.redispatch(keys_after(ks, kKey), a, args...);
  }
  if (compute_requires_grad(a) && !out.empty()) {
    std::vector<DimVector> piece_sizes;
    piece_sizes.reserve(out.size());
    for (const Tensor& piece : out) piece_sizes.emplace_back(piece.sizes());
    auto node = std::make_shared<PiecesBackward>(name, stacks, detail::maybe_wrap_dim(dim, a.dim(), op.name()),
                                                 std::move(piece_sizes));
    node->add_next_edge(a);
    for (size_t i = 0; i < out.size(); ++i) impl::set_history(out[i], node, static_cast<uint32_t>(i));
  }
  if (__builtin_expect(fw::is_active(), 0)) {
    Tensor ta = fw::tangent(a);
    if (ta.defined()) {
      AutoFwGradMode off(false);
      std::vector<Tensor> tangents = op.call(ta, args...);
      for (size_t i = 0; i < out.size(); ++i) fw::set_tangent(out[i], tangents[i]);
    }
  }
  return out;
}
std::vector<Tensor> unbind(DispatchKeySet ks, const Tensor& a, int64_t dim) {
  return record_pieces(ops::unbind, "UnbindBackward0", /*stacks=*/true, ks, a, dim, dim);
}
std::vector<Tensor> split(DispatchKeySet ks, const Tensor& a, int64_t split_size, int64_t dim) {
  return record_pieces(ops::split, "SplitBackward0", /*stacks=*/false, ks, a, dim, split_size, dim);
}
std::vector<Tensor> split_with_sizes(DispatchKeySet ks, const Tensor& a, IntArrayRef split_sizes, int64_t dim) {
  return record_pieces(ops::split_with_sizes, "SplitWithSizesBackward0", /*stacks=*/false, ks, a, dim, split_sizes,
                       dim);
}

// select_backward and slice_backward are linear in grad: their own gradient
// reads back what they wrote (LibTorch's SelectBackwardBackward0 and
// SliceBackwardBackward0), and a tangent goes through the same op.
variable_list select_backward_bw(OpNode& n, const Tensor& g) { return {g.select(n.i0, n.i1)}; }
void keep_select_backward(OpNode& n, const Tensor& grad, const IntArrayRef&, const int64_t& dim,
                          const int64_t& index) {
  keep_select(n, grad, dim, index);
}
Tensor select_backward(DispatchKeySet ks, const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t index) {
  return record<decltype(ops::select_backward), IntArrayRef, int64_t, int64_t>(
      ops::select_backward, "SelectBackwardBackward0", &select_backward_bw, ks, grad, &keep_select_backward,
      input_sizes, dim, index);
}
variable_list slice_backward_bw(OpNode& n, const Tensor& g) { return {g.slice(n.i0, n.i1, n.i2, n.i3)}; }
void keep_slice_backward(OpNode& n, const Tensor& grad, const IntArrayRef&, const int64_t& dim, const int64_t& start,
                         const int64_t& end, const int64_t& step) {
  keep_slice(n, grad, dim, start, end, step);
}
Tensor slice_backward(DispatchKeySet ks, const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t start,
                      int64_t end, int64_t step) {
  return record<decltype(ops::slice_backward), IntArrayRef, int64_t, int64_t, int64_t, int64_t>(
      ops::slice_backward, "SliceBackwardBackward0", &slice_backward_bw, ks, grad, &keep_slice_backward, input_sizes,
      dim, start, end, step);
}
// As LibTorch's formulas: squeeze's gradient is unsqueezed back at each
// size-1 dim (unsqueeze_to), unsqueeze's squeezed at its dim; views with
// LibTorch's strides and nodes under create_graph, not reshapes.
variable_list squeeze_bw(OpNode& n, const Tensor& g) {
  Tensor r = g;
  IntArrayRef sizes = in_sizes(n);
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) r = r.unsqueeze(static_cast<int64_t>(d));
  }
  return {r};
}
variable_list squeeze_dim_bw(OpNode& n, const Tensor& g) {
  IntArrayRef sizes = in_sizes(n);
  if (sizes.empty()) return {g};
  const int64_t d = n.i0 < 0 ? n.i0 + static_cast<int64_t>(sizes.size()) : n.i0;  // checked by the op
  return {sizes[d] != 1 ? g : g.unsqueeze(d)};
}
variable_list unsqueeze_bw(OpNode& n, const Tensor& g) { return {g.squeeze(n.i0)}; }
Tensor squeeze(DispatchKeySet ks, const Tensor& a) {
  return record(ops::squeeze, "SqueezeBackward0", &squeeze_bw, ks, a, &keep_sizes);
}
void keep_dim(OpNode& n, const Tensor&, const int64_t& dim) { n.i0 = dim; }
Tensor squeeze_dim(DispatchKeySet ks, const Tensor& a, int64_t dim) {
  return record<decltype(ops::squeeze_dim), int64_t>(ops::squeeze_dim, "SqueezeBackward1", &squeeze_dim_bw, ks, a,
                                                     &keep_dim, dim);
}
Tensor unsqueeze(DispatchKeySet ks, const Tensor& a, int64_t dim) {
  return record<decltype(ops::unsqueeze), int64_t>(ops::unsqueeze, "UnsqueezeBackward0", &unsqueeze_bw, ks, a,
                                                   &keep_dim, dim);
}
void keep_as_strided(OpNode& n, const Tensor& a, const IntArrayRef& size, const IntArrayRef& stride,
                     const int64_t& offset) {
  n.shapes = {DimVector(a.sizes()), DimVector(a.strides()), DimVector(size), DimVector(stride)};
  n.i0 = a.storage_offset();
  n.i1 = offset;
}
Tensor as_strided(DispatchKeySet ks, const Tensor& a, IntArrayRef size, IntArrayRef stride, int64_t offset) {
  Tensor out = record_only<decltype(ops::as_strided), IntArrayRef, IntArrayRef, int64_t>(
      ops::as_strided, "AsStridedBackward0", &as_strided_bw, ks, a, &keep_as_strided, size, stride, offset);
  if (__builtin_expect(fw::is_active(), 0)) {
    Tensor ta = fw::tangent(a);
    if (ta.defined()) fw::set_tangent(out, fw::as_strided_tangent(a, ta, size, stride, offset));
  }
  return out;
}

// Non-differentiable: the result never requires grad.
template <ops::Binary& Op>
Tensor no_grad_binary(DispatchKeySet ks, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  AutoDispatchBelowADInplaceOrView guard;
  return Op.redispatch(keys_after(ks, kKey), a, b, alpha);
}

template <ops::BinaryScalar& Op>
Tensor no_grad_binary_scalar(DispatchKeySet ks, const Tensor& a, const Scalar& b, const Scalar& alpha) {
  AutoDispatchBelowADInplaceOrView guard;
  return Op.redispatch(keys_after(ks, kKey), a, b, alpha);
}

const bool registered = [] {
#define EMBER_REGISTER_BINARY(name, kind)                                              \
  ops::name.register_kernel(kKey, &binary<ops::name, Bin::kind>);                     \
  ops::name##_.register_kernel(kKey, &binary_<ops::name##_, Bin::kind>);              \
  ops::name##_out.register_kernel(kKey, &binary_out<ops::name##_out>);                \
  ops::name##_Scalar.register_kernel(kKey, &binary_scalar<ops::name##_Scalar, Bin::kind>); \
  ops::name##__Scalar.register_kernel(kKey, &binary_scalar_<ops::name##__Scalar, Bin::kind>);
  EMBER_REGISTER_BINARY(add, Add)
  EMBER_REGISTER_BINARY(sub, Sub)
  EMBER_REGISTER_BINARY(mul, Mul)
  EMBER_REGISTER_BINARY(div, Div)
  EMBER_REGISTER_BINARY(pow, Pow)
#undef EMBER_REGISTER_BINARY
#define EMBER_REGISTER_UNARY(name, kind)                             \
  ops::name.register_kernel(kKey, &unary<ops::name, Un::kind>);     \
  ops::name##_.register_kernel(kKey, &unary_<ops::name##_, Un::kind>);
  EMBER_REGISTER_UNARY(neg, Neg)
  EMBER_REGISTER_UNARY(exp, Exp)
  EMBER_REGISTER_UNARY(log, Log)
  EMBER_REGISTER_UNARY(relu, Relu)
  EMBER_REGISTER_UNARY(sigmoid, Sigmoid)
  EMBER_REGISTER_UNARY(tanh, Tanh)
#undef EMBER_REGISTER_UNARY
  // Comparisons are not differentiable: their results never require grad.
#define EMBER_REGISTER_COMPARISON(name)                              \
  ops::name.register_kernel(kKey, &no_grad_binary<ops::name>);       \
  ops::name##_Scalar.register_kernel(kKey, &no_grad_binary_scalar<ops::name##_Scalar>);
  EMBER_COMPARISON_OPS(EMBER_REGISTER_COMPARISON)
#undef EMBER_REGISTER_COMPARISON
  ops::threshold_backward.register_kernel(kKey, &activation_backward<ActBw::Threshold>);
  ops::sigmoid_backward.register_kernel(kKey, &activation_backward<ActBw::Sigmoid>);
  ops::tanh_backward.register_kernel(kKey, &activation_backward<ActBw::Tanh>);
  ops::where.register_kernel(kKey, &where);
  ops::copy_.register_kernel(kKey, &copy_);
  ops::fill_.register_kernel(kKey, &fill_);
  ops::zero_.register_kernel(kKey, &zero_);
  ops::detach_.register_kernel(kKey, &detach_);
  ops::clone.register_kernel(kKey, &clone);
  ops::_to_copy.register_kernel(kKey, &to_copy);
  ops::sum.register_kernel(kKey, &sum);
  ops::sum_dim.register_kernel(kKey, &sum_dim);
  ops::mean.register_kernel(kKey, &mean);
  ops::mean_dim.register_kernel(kKey, &mean_dim);
  ops::mm.register_kernel(kKey, &matmul_like<ops::mm>);
  ops::bmm.register_kernel(kKey, &matmul_like<ops::bmm>);
  ops::dot.register_kernel(kKey, &matmul_like<ops::dot>);
  ops::mv.register_kernel(kKey, &matmul_like<ops::mv>);
  ops::cat.register_kernel(kKey, &list_op<ops::cat>);
  ops::stack.register_kernel(kKey, &list_op<ops::stack>);
  ops::view.register_kernel(kKey, &view);
  ops::select_backward.register_kernel(kKey, &select_backward);
  ops::slice_backward.register_kernel(kKey, &slice_backward);
  ops::_unsafe_view.register_kernel(kKey, &unsafe_view);
  ops::expand.register_kernel(kKey, &expand);
  ops::permute.register_kernel(kKey, &permute);
  ops::transpose.register_kernel(kKey, &transpose);
  ops::t.register_kernel(kKey, &t);
  ops::_reshape_alias.register_kernel(kKey, &reshape_alias);
  ops::select.register_kernel(kKey, &select);
  ops::unbind.register_kernel(kKey, &unbind);
  ops::split.register_kernel(kKey, &split);
  ops::split_with_sizes.register_kernel(kKey, &split_with_sizes);
  ops::slice.register_kernel(kKey, &slice);
  ops::squeeze.register_kernel(kKey, &squeeze);
  ops::squeeze_dim.register_kernel(kKey, &squeeze_dim);
  ops::unsqueeze.register_kernel(kKey, &unsqueeze);
  ops::as_strided.register_kernel(kKey, &as_strided);
  return true;
}();

}  // namespace
}  // namespace autograd
}  // namespace ember
