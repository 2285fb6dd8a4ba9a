#define LEGACY_GUARD at::AutoNonVariableTypeMode guard_(true)
#define GUARD_TYPE(x) x

void user() { LEGACY_GUARD; }

at::Tensor kernel(torch::autograd::AutogradContext* ctx, at::Tensor t) {
  GUARD_TYPE(at::AutoNonVariableTypeMode) g(true);
  return t;
}
