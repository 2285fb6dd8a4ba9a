#include "autograd/engine.h"

#include <queue>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "autograd/autograd_meta.h"
#include "autograd/functions.h"
#include "modes/grad_mode.h"
#include "tensor/check.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace autograd {
namespace {

struct LaterFirst {
  bool operator()(const Node* a, const Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

// One backward pass. `captures` (for grad(), and backward() with inputs)
// lists the edges that matter: only nodes that lead to one run. For grad()
// their incoming gradients are the answer and leaves are not accumulated;
// with `accumulate_leaves` (backward() with inputs) the captured nodes run, so that
// leaves accumulate and non-leaves' retain_grad() hooks see their gradient.
variable_list run_backward(const std::vector<Edge>& roots, const variable_list& root_grads, bool keep_graph,
                           bool create_graph, const std::vector<Edge>* captures, bool accumulate_leaves = false) {
  // 1. Dependency counts, and (for grad()) which nodes lead to a capture.
  std::unordered_map<Node*, int> dependencies;
  std::unordered_set<Node*> seen;
  std::vector<Node*> stack, order;
  for (const Edge& e : roots) {
    if (e.is_valid() && seen.insert(e.function.get()).second) stack.push_back(e.function.get());
  }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    order.push_back(n);
    for (const Edge& e : n->next_edges()) {
      if (!e.is_valid()) continue;
      dependencies[e.function.get()] += 1;
      if (seen.insert(e.function.get()).second) stack.push_back(e.function.get());
    }
  }
  std::unordered_set<Node*> needed;
  if (captures != nullptr) {
    for (const Edge& e : *captures) needed.insert(e.function.get());
    // A node is needed if one of its children is; iterate to a fixed point
    // (graphs are small next to the work their nodes do).
    for (bool changed = true; changed;) {
      changed = false;
      for (Node* n : order) {
        if (needed.count(n)) continue;
        for (const Edge& e : n->next_edges()) {
          if (e.is_valid() && needed.count(e.function.get())) {
            needed.insert(n);
            changed = true;
            break;
          }
        }
      }
    }
  }
  auto is_needed = [&](Node* n) { return captures == nullptr || needed.count(n) > 0; };

  // 2. Seed the input buffers with the root gradients.
  std::unordered_map<Node*, variable_list> buffers;
  auto accumulate = [&](const Edge& e, const Tensor& g) {
    variable_list& buffer = buffers[e.function.get()];
    if (buffer.empty()) buffer.resize(e.function->num_inputs());
    Tensor& slot = buffer[e.input_nr];
    slot = slot.defined() ? slot + g : g;  // Out of place: `g` may be shared.
  };
  for (size_t i = 0; i < roots.size(); ++i) {
    if (roots[i].is_valid()) accumulate(roots[i], root_grads[i]);
  }
  std::priority_queue<Node*, std::vector<Node*>, LaterFirst> ready;
  std::unordered_set<Node*> queued;
  for (const Edge& e : roots) {
    Node* n = e.function.get();
    if (n != nullptr && dependencies[n] == 0 && queued.insert(n).second) ready.push(n);
  }

  // 3. Run ready nodes.
  variable_list captured(captures ? captures->size() : 0);
  AutoGradMode grad_mode(create_graph);
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    variable_list inputs = std::move(buffers[node]);
    buffers.erase(node);
    if (inputs.empty()) inputs.resize(node->num_inputs());
    bool captured_here = false;
    if (captures != nullptr) {
      for (size_t i = 0; i < captures->size(); ++i) {
        if ((*captures)[i].function.get() != node) continue;
        captured[i] = inputs[(*captures)[i].input_nr];
        captured_here = true;
      }
      if (!accumulate_leaves && dynamic_cast<AccumulateGrad*>(node) != nullptr) continue;  // grad() leaves .grad alone.
    }
    bool any_child_needed = false;
    for (const Edge& e : node->next_edges()) any_child_needed |= e.is_valid() && is_needed(e.function.get());
    variable_list outputs;
    if (any_child_needed || captures == nullptr || (accumulate_leaves && captured_here)) {
      // Tensor hooks (and retain_grad) run only when their node runs, after
      // grad() captured its answer, as in LibTorch 1.13.
      for (auto& [output_nr, hooks] : node->tensor_hooks()) {
        Tensor& g = inputs[output_nr];
        if (g.defined()) g = hooks->run(std::move(g));
      }
      outputs = node->apply(std::move(inputs));
    }
    if (!keep_graph) node->release_variables();
    const edge_list& edges = node->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge& e = edges[i];
      if (!e.is_valid()) continue;
      Node* next = e.function.get();
      if (is_needed(next) && i < outputs.size() && outputs[i].defined()) {
        accumulate(e, conform_gradient(outputs[i], node->input_metas()[i], *node, i));
      }
      if (--dependencies[next] == 0 && is_needed(next)) ready.push(next);
    }
  }
  return captured;
}

// The root edges and their seed gradients, with PyTorch's checks.
void collect_roots(const variable_list& outputs, const variable_list& grad_outputs, std::vector<Edge>* roots,
                   variable_list* grads) {
  EMBER_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "grad requires one grad_output per ",
              "output: got ", grad_outputs.size(), " grad_outputs for ", outputs.size(),
              " outputs. Pass one per output (an undefined Tensor() means ones for a scalar).");
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    Edge edge = impl::gradient_edge(out);
    EMBER_CHECK(edge.is_valid(), "element ", i, " of tensors does not require grad and does not have a grad_fn",
                " (Ember: backward() reached a tensor of sizes ", out.sizes(),
                " with no history; make a leaf require grad with set_requires_grad(true) before computing it, and "
                "compute it outside NoGradGuard/InferenceMode.)");
    Tensor g = grad_outputs.empty() ? Tensor() : grad_outputs[i];
    if (!g.defined()) {
      EMBER_CHECK(out.numel() == 1, "grad can be implicitly created only for scalar outputs (Ember: the output has "
                  "sizes ", out.sizes(), "; pass a gradient of that shape, e.g. backward(ember::ones_like(out)), or "
                  "reduce it with sum() first.)");
      g = ones_like(out);
    } else if (g.sizes() != out.sizes()) {
      // A gradient the output's shape broadcasts to is summed back to it,
      // as LibTorch's validate_outputs does.
      EMBER_CHECK(detail::is_expandable_to(out.sizes(), g.sizes()), "invalid gradient at index ", i, " - got ", g.sizes(),
                  " but expected shape compatible with ", out.sizes(),
                  " (Ember: pass a gradient shaped like the output, or one it broadcasts to.)");
      g = g.sum_to_size(out.sizes());
    }
    roots->push_back(std::move(edge));
    grads->push_back(std::move(g));
  }
}

}  // namespace

void backward(const variable_list& outputs, const variable_list& grad_outputs, bool retain_graph, bool create_graph,
              const variable_list& inputs) {
  std::vector<Edge> roots;
  variable_list grads;
  collect_roots(outputs, grad_outputs, &roots, &grads);
  if (inputs.empty()) {
    run_backward(roots, grads, retain_graph || create_graph, create_graph, nullptr);
    return;
  }
  std::vector<Edge> captures;
  for (size_t i = 0; i < inputs.size(); ++i) {
    EMBER_CHECK(inputs[i].requires_grad(), "One of the differentiated Tensors does not require grad (Ember: input ",
                i, " of backward(), of sizes ", inputs[i].sizes(), "; make it require grad before the forward.)");
    // As LibTorch's run_backward: a non-leaf input keeps its gradient.
    if (!impl::is_leaf(inputs[i])) inputs[i].retain_grad();
    captures.push_back(impl::gradient_edge(inputs[i]));
  }
  run_backward(roots, grads, retain_graph || create_graph, create_graph, &captures, /*accumulate_leaves=*/true);
}

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   int retain_graph, bool create_graph, bool allow_unused) {
  std::vector<Edge> roots;
  variable_list grads;
  collect_roots(outputs, grad_outputs, &roots, &grads);
  std::vector<Edge> captures;
  for (size_t i = 0; i < inputs.size(); ++i) {
    EMBER_CHECK(inputs[i].requires_grad(), "One of the differentiated Tensors does not require grad (Ember: input ",
                i, " of grad(), of sizes ", inputs[i].sizes(), "; make it require grad before the forward.)");
    captures.push_back(impl::gradient_edge(inputs[i]));
  }
  bool keep = retain_graph < 0 ? create_graph : retain_graph != 0;
  variable_list result = run_backward(roots, grads, keep, create_graph, &captures);
  for (size_t i = 0; i < result.size(); ++i) {
    EMBER_CHECK(result[i].defined() || allow_unused,
                "One of the differentiated Tensors appears to not have been used in the graph. Set "
                "allow_unused=True if this is the desired behavior. (Ember: input ",
                i, " of grad(), of sizes ", inputs[i].sizes(), "; pass allow_unused=true to get an undefined ",
                "Tensor for it instead.)");
  }
  return result;
}

}  // namespace autograd
}  // namespace ember
