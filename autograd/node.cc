#include "autograd/node.h"

#include <atomic>
#include <sstream>

#include "autograd/autograd_meta.h"
#include "tensor/check.h"

namespace ember {
namespace autograd {
namespace {
std::atomic<uint64_t> next_sequence_nr{0};
}  // namespace

Node::Node(uint32_t num_inputs)
    : sequence_nr_(next_sequence_nr.fetch_add(1, std::memory_order_relaxed)), num_inputs_(num_inputs) {}

Node::~Node() {
  // The common cases stay off the TLS: nothing this node alone keeps alive,
  // or only nodes without edges of their own (a leaf's AccumulateGrad), which
  // the members' destructors release one level down, without recursion.
  bool owns_chain = false;
  for (const Edge& e : next_edges_) {
    owns_chain |= e.function != nullptr && e.function.use_count() == 1 && !e.function->next_edges_.empty();
  }
  if (!owns_chain) return;
  thread_local bool draining = false;
  thread_local std::vector<std::shared_ptr<Node>> pending;
  for (Edge& e : next_edges_) {
    if (e.function && e.function.use_count() == 1) pending.push_back(std::move(e.function));
  }
  if (draining) return;
  draining = true;
  while (!pending.empty()) {
    std::shared_ptr<Node> last = std::move(pending.back());
    pending.pop_back();
    last.reset();  // Its destructor queues its own children here.
  }
  draining = false;
}

void Node::add_next_edge(const Tensor& input) {
  next_edges_.push_back(input.defined() ? impl::gradient_edge(input) : Edge());
  InputMeta& meta = input_metas_.emplace_back();
  if (input.defined()) {
    meta.sizes = input.sizes();
    meta.dtype = input.dtype();
  }
}

Tensor TensorHooks::run(Tensor grad) const {
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    if (e.retain) {
      Tensor& slot = e.retain->grad;
      slot = slot.defined() ? slot + grad : grad.clone();
      continue;
    }
    if (!e.fn) continue;
    Tensor res = e.fn(grad);
    if (!res.defined()) continue;  // The hook only looked.
    EMBER_CHECK(res.toString() == grad.toString(), "hook '", i, "' has changed the type of value (was ",
                grad.toString(), " got ", res.toString(), ") (Ember: a gradient hook must return a gradient of the "
                "same dtype, or nothing to keep the gradient.)");
    EMBER_CHECK(res.sizes() == grad.sizes(), "hook '", i, "' has changed the size of value (Ember: got sizes ",
                res.sizes(), " for a gradient of sizes ", grad.sizes(), "; return a gradient of the same sizes.)");
    grad = std::move(res);
  }
  return grad;
}

Tensor conform_gradient(const Tensor& grad, const InputMeta& meta, const Node& node, size_t index) {
  Tensor g = grad;
  if (g.sizes() != IntArrayRef(meta.sizes)) {
    // Undo broadcasting: sum the leading dims, then the dims that were 1.
    int64_t lead = g.dim() - static_cast<int64_t>(meta.sizes.size());
    bool ok = lead >= 0;
    DimVector dims;
    for (int64_t d = 0; ok && d < g.dim(); ++d) {
      if (d < lead) {
        dims.push_back(d);
      } else if (meta.sizes[d - lead] == 1 && g.size(d) != 1) {
        dims.push_back(d);
      } else if (meta.sizes[d - lead] != g.size(d)) {
        ok = false;
      }
    }
    if (!ok) {
      std::ostringstream msg;
      msg << "Function " << node.name() << " returned an invalid gradient at index " << index << " - got "
          << g.sizes() << " but expected shape compatible with " << IntArrayRef(meta.sizes)
          << " (Ember: the backward formula of " << node.name()
          << " produced a gradient that no broadcast of the input explains; for a custom Function, return one "
             "gradient shaped like each input.)";
      detail::fail(msg.str());
    }
    if (!dims.empty()) g = g.sum(dims, /*keepdim=*/true);
    if (lead > 0 || g.sizes() != IntArrayRef(meta.sizes)) g = g.view(meta.sizes);
  }
  if (g.dtype() != meta.dtype) g = g.to(meta.dtype);
  return g;
}

}  // namespace autograd
}  // namespace ember
