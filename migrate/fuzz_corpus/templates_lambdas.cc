template <class T>
T run(T value) {
  at::AutoNonVariableTypeMode guard(true);
  return value;
}
int use() { return run(1) + int(run(2.0)); }

void registered() {
  torch::RegisterOperators::options().kernel(c10::DispatchKey::AutogradCPU, +[](at::Tensor t) {
    at::AutoNonVariableTypeMode g(true);
    return t;
  });
}

auto lambda = [] { at::AutoNonVariableTypeMode g; };
