void f() {
  at::AutoNonVariableTypeMode guard(true);
}