// at::AutoN() {
  at::AutoNonVariableTypeMode g(true);  // NOLINT(migrate)
}
#ifdef SOMETHING
void maybe() { at::AutoNonVariableTypeMode g(true); }
#else
void other() { at::AutoNonVariableTypeMode g; }
#endif
