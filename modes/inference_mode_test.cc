#include "modes/inference_mode.h"

#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "modes/grad_mode.h"
#include "modes/kernel_guards.h"

namespace ember {
namespace {

// Everything InferenceMode may touch, captured as one comparable value.
struct ThreadState {
  AutogradState autograd = AutogradState::get_tls_state();
  LocalDispatchKeySet keys = tls_local_dispatch_key_set();

  bool operator==(const ThreadState& other) const {
    return autograd == other.autograd && keys.included_ == other.keys.included_ &&
           keys.excluded_ == other.keys.excluded_;
  }
};

std::string Describe(const ThreadState& s) {
  return "grad=" + std::to_string(s.autograd.get_grad_mode()) +
         " inference=" + std::to_string(s.autograd.get_inference_mode()) +
         " fw_grad=" + std::to_string(s.autograd.get_fw_grad_mode()) + " included=" + toString(s.keys.included_) +
         " excluded=" + toString(s.keys.excluded_);
}

// Note [Expected TLS state in InferenceMode], outside kernel guards.
void ExpectInvariants(const std::string& where) {
  LocalDispatchKeySet keys = tls_local_dispatch_key_set();
  EXPECT_FALSE(keys.excluded_.has(DispatchKey::ADInplaceOrView)) << where;
  EXPECT_FALSE(keys.included_.has_any(autograd_dispatch_keyset)) << where;
  if (InferenceMode::is_enabled()) {
    EXPECT_FALSE(keys.included_.has(DispatchKey::ADInplaceOrView)) << where;
    EXPECT_TRUE(keys.excluded_.has_all(autograd_dispatch_keyset)) << where;
  } else {
    EXPECT_TRUE(keys.included_.has(DispatchKey::ADInplaceOrView)) << where;
    EXPECT_FALSE(keys.excluded_.has_any(autograd_dispatch_keyset)) << where;
  }
}

TEST(InferenceModeTest, DisabledByDefault) {
  EXPECT_FALSE(InferenceMode::is_enabled());
  ExpectInvariants("default");
}

TEST(InferenceModeTest, EnablingTurnsOffGradModesAndAutogradDispatch) {
  InferenceMode guard;
  EXPECT_TRUE(InferenceMode::is_enabled());
  EXPECT_FALSE(GradMode::is_enabled());
  EXPECT_FALSE(AutogradState::get_tls_state().get_fw_grad_mode());
  LocalDispatchKeySet keys = tls_local_dispatch_key_set();
  EXPECT_FALSE(keys.included_.has(DispatchKey::ADInplaceOrView));
  EXPECT_EQ(keys.excluded_, autograd_dispatch_keyset);
}

TEST(InferenceModeTest, DestructorRestoresTheExactPreviousState) {
  ThreadState before;
  { InferenceMode guard; }
  EXPECT_EQ(ThreadState(), before) << Describe(ThreadState());
}

TEST(InferenceModeTest, FalseInsideTrueReturnsToNormalModeWithGradOn) {
  InferenceMode on;
  {
    InferenceMode off(false);
    EXPECT_FALSE(InferenceMode::is_enabled());
    EXPECT_TRUE(GradMode::is_enabled());
    EXPECT_TRUE(AutogradState::get_tls_state().get_fw_grad_mode());
    ExpectInvariants("InferenceMode(false) inside InferenceMode(true)");
  }
  EXPECT_TRUE(InferenceMode::is_enabled());
  EXPECT_FALSE(GradMode::is_enabled());
  ExpectInvariants("back in InferenceMode(true)");
}

TEST(InferenceModeTest, FalseOutsideAnyModeTurnsGradModeOn) {
  NoGradGuard no_grad;
  {
    InferenceMode off(false);
    EXPECT_TRUE(GradMode::is_enabled());
    EXPECT_FALSE(InferenceMode::is_enabled());
  }
  EXPECT_FALSE(GradMode::is_enabled());
}

TEST(InferenceModeTest, NestedEnabledGuardsRestoreLevelByLevel) {
  InferenceMode outer;
  ThreadState in_outer;
  {
    InferenceMode inner;
    EXPECT_EQ(ThreadState(), in_outer);  // Enabling twice changes nothing more.
  }
  EXPECT_EQ(ThreadState(), in_outer);
}

TEST(InferenceModeTest, NoGradGuardOutsideStaysInEffectAfterExit) {
  NoGradGuard no_grad;
  { InferenceMode guard; }
  EXPECT_FALSE(GradMode::is_enabled());
  EXPECT_FALSE(InferenceMode::is_enabled());
}

TEST(InferenceModeTest, AutoGradModeInsideOnlyChangesGradMode) {
  InferenceMode guard;
  {
    AutoGradMode grad_on(true);
    EXPECT_TRUE(GradMode::is_enabled());
    EXPECT_TRUE(InferenceMode::is_enabled());
    ExpectInvariants("AutoGradMode(true) inside InferenceMode");
  }
  EXPECT_FALSE(GradMode::is_enabled());
}

TEST(InferenceModeTest, SettingGradModeDoesNotSetInferenceMode) {
  NoGradGuard no_grad;
  EXPECT_FALSE(InferenceMode::is_enabled());
  ExpectInvariants("NoGradGuard alone");
}

TEST(InferenceModeTest, RestoresKeysAddedByOtherGuardsOutsideIt) {
  IncludeDispatchKeyGuard include_cpu(DispatchKey::CPU);
  ThreadState before;
  {
    InferenceMode guard;
    EXPECT_TRUE(tls_local_dispatch_key_set().included_.has(DispatchKey::CPU));
  }
  EXPECT_EQ(ThreadState(), before);
}

TEST(InferenceModeTest, KernelGuardInsideInferenceModeKeepsExcludingAutogradAfterItsExit) {
  InferenceMode guard;
  { AutoDispatchBelowADInplaceOrView kernel; }
  EXPECT_TRUE(tls_local_dispatch_key_set().excluded_.has_all(autograd_dispatch_keyset));
  ExpectInvariants("after a kernel guard inside InferenceMode");
}

TEST(InferenceModeTest, RestoresStateWhenAnExceptionLeavesTheScope) {
  ThreadState before;
  try {
    InferenceMode guard;
    throw std::runtime_error("leave the scope");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(ThreadState(), before);
}

// Guards of any kind, held on a stack so the test can push and pop them in
// random orders.
struct AnyGuard {
  virtual ~AnyGuard() = default;
};
template <typename Guard>
struct Held final : AnyGuard {
  template <typename... Args>
  explicit Held(Args... args) : guard(args...) {}
  Guard guard;
};

TEST(InferenceModeTest, RandomNestingKeepsInvariantsAndRestoresEveryLevel) {
  std::mt19937 rng(20261122);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::unique_ptr<AnyGuard>> stack;
    std::vector<ThreadState> saved;
    std::string trace;
    for (int step = 0; step < 12; ++step) {
      const int choice = static_cast<int>(rng() % 6);
      if (choice == 5 && !stack.empty()) {
        stack.pop_back();
        EXPECT_EQ(ThreadState(), saved.back()) << trace << " pop";
        saved.pop_back();
        trace += " pop";
        continue;
      }
      ThreadState before;
      saved.push_back(before);
      switch (choice) {
        case 0:
          stack.push_back(std::make_unique<Held<InferenceMode>>(true));
          trace += " IM(true)";
          EXPECT_TRUE(InferenceMode::is_enabled()) << trace;
          EXPECT_FALSE(GradMode::is_enabled()) << trace;
          break;
        case 1:
          stack.push_back(std::make_unique<Held<InferenceMode>>(false));
          trace += " IM(false)";
          EXPECT_FALSE(InferenceMode::is_enabled()) << trace;
          EXPECT_TRUE(GradMode::is_enabled()) << trace;
          break;
        case 2:
          stack.push_back(std::make_unique<Held<NoGradGuard>>());
          trace += " NoGrad";
          EXPECT_FALSE(GradMode::is_enabled()) << trace;
          EXPECT_EQ(InferenceMode::is_enabled(), before.autograd.get_inference_mode()) << trace;
          break;
        case 3:
          stack.push_back(std::make_unique<Held<AutoGradMode>>(true));
          trace += " AutoGrad(true)";
          EXPECT_TRUE(GradMode::is_enabled()) << trace;
          break;
        default:
          stack.push_back(std::make_unique<Held<AutoGradMode>>(false));
          trace += " AutoGrad(false)";
          EXPECT_FALSE(GradMode::is_enabled()) << trace;
          break;
      }
      if (choice >= 2) {
        EXPECT_TRUE(ThreadState().keys.included_ == before.keys.included_ &&
                    ThreadState().keys.excluded_ == before.keys.excluded_)
            << trace << ": only InferenceMode changes the key sets";
      }
      ExpectInvariants(trace);
    }
    while (!stack.empty()) {
      stack.pop_back();
      EXPECT_EQ(ThreadState(), saved.back()) << trace << " unwinding";
      saved.pop_back();
    }
    ASSERT_EQ(ThreadState(), (ThreadState{AutogradState(true, false, true), {default_included_set, {}}}))
        << trace;
  }
}

TEST(InferenceModeWrapperTest, RunsTheCallableUnderInferenceModeAndReturnsItsResult) {
  auto probe = inference_mode([](int x) { return InferenceMode::is_enabled() ? x * 2 : -1; });
  EXPECT_EQ(probe(21), 42);
  EXPECT_FALSE(InferenceMode::is_enabled());
}

TEST(InferenceModeWrapperTest, ForwardsReferencesAndMoveOnlyArguments) {
  int counter = 0;
  auto bump = inference_mode([](int& c, std::unique_ptr<int> p) { c += *p; });
  bump(counter, std::make_unique<int>(5));
  EXPECT_EQ(counter, 5);
}

TEST(InferenceModeWrapperTest, ReturnsReferencesAsReferences) {
  int value = 1;
  auto get = inference_mode([&value]() -> int& { return value; });
  get() = 7;
  EXPECT_EQ(value, 7);
}

TEST(InferenceModeWrapperTest, FalseRunsTheCallableInNormalMode) {
  InferenceMode outer;
  auto probe = inference_mode([] { return GradMode::is_enabled() && !InferenceMode::is_enabled(); }, false);
  EXPECT_TRUE(probe());
  EXPECT_TRUE(InferenceMode::is_enabled());
}

TEST(InferenceModeWrapperTest, RestoresTheModeWhenTheCallableThrows) {
  auto fail = inference_mode([] { throw std::runtime_error("boom"); });
  EXPECT_THROW(fail(), std::runtime_error);
  EXPECT_FALSE(InferenceMode::is_enabled());
  EXPECT_TRUE(GradMode::is_enabled());
}

}  // namespace
}  // namespace ember
