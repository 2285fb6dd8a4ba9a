// at::AutoNonVariableTypeMode in a comment
const char* text = "at::AutoNonVariableTypeMode";
#if 0
void old() { at::AutoNonVariableTypeMode g(true); }
#endif
void kept() {
  at::AutoNonVariableTypeMode g(true);  // NOLINT(migrate)
}
#ifdef SOMETHING
void maybe() { at::AutoNonVariableTypeMode g(true); }
#else
void other() { at::AutoNonVariableTypeMode g; }
#endif
