struct Predictor {
  Predictor() : guard_(true) {}
  at::AutoNonVariableTypeMode guard_;
  std::unique_ptr<at::AutoNonVariableTypeMode> owned = std::make_unique<at::AutoNonVariableTypeMode>(true);
  c10::optional<at::AutoNonVariableTypeMode> maybe;
  void start() { maybe.emplace(true); }
};

void temporary() { at::AutoNonVariableTypeMode(true); auto* p = new at::AutoNonVariableTypeMode(); }
