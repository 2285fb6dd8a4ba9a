at::Tensor op(torch::autograd::AutogradContext* ctx, at::Tensor t, bool flag) {
  at::AutoNonVariableTypeMode off(false);
  at::AutoNonVariableTypeMode runtime(flag);
  at::AutoNonVariableTypeMode assigned = true;
  return t;
}

void user(bool flag) { at::AutoNonVariableTypeMode g(flag); }
