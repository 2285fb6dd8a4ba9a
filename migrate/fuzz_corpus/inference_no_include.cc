// User inference code that does not include the replacement's header.
at::Tensor predict(at::Tensor input) {
  at::AutoNonVariableTypeMode guard(true);
  return input;
}
