// Differential test: the same ops on the same values in Ember and in LibTorch
// 1.13, compared element by element, plus printed output and error phrases.
// LibTorch is the specification; any difference here is Ember's bug.
#include <torch/torch.h>

#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

torch::ScalarType to_torch(ScalarType t) {
  switch (t) {
    case kFloat:
      return torch::kFloat;
    case kDouble:
      return torch::kDouble;
    case kLong:
      return torch::kLong;
    case kBool:
      return torch::kBool;
  }
  return torch::kFloat;
}

// A LibTorch copy of an Ember tensor (same values, same sizes, contiguous).
torch::Tensor to_torch(const Tensor& t) {
  Tensor c = t.contiguous();
  std::vector<int64_t> sizes(c.sizes().begin(), c.sizes().end());
  return torch::from_blob(c.data_ptr(), sizes, to_torch(c.dtype())).clone();
}

::testing::AssertionResult Same(const Tensor& e, const torch::Tensor& t, double rtol = 1e-5, double atol = 1e-6) {
  std::vector<int64_t> tsizes(t.sizes().begin(), t.sizes().end());
  if (e.sizes() != IntArrayRef(tsizes))
    return ::testing::AssertionFailure() << "sizes " << e.sizes() << " vs " << toString(IntArrayRef(tsizes));
  if (to_torch(e.dtype()) != t.scalar_type())
    return ::testing::AssertionFailure() << "dtype " << e.dtype() << " vs " << t.scalar_type();
  torch::Tensor mine = to_torch(e).to(torch::kDouble);
  torch::Tensor theirs = t.to(torch::kDouble);
  if (!torch::allclose(mine, theirs, rtol, atol, /*equal_nan=*/true))
    return ::testing::AssertionFailure() << "values differ:\n" << mine << "\nvs\n" << theirs;
  return ::testing::AssertionSuccess();
}

class DiffTest : public ::testing::Test {
 protected:
  void SetUp() override { manual_seed(7); }
  // Values in [-2, 2) so log/pow see negatives and positives.
  static Tensor values(IntArrayRef sizes, ScalarType dtype = kFloat) {
    Tensor r = rand(sizes, kDouble) * 4 - 2;
    return dtype == kLong ? (r * 3).to(kLong) : r.to(dtype);
  }
};

TEST_F(DiffTest, BinaryOpsWithBroadcastingAndPromotion) {
  struct Case {
    std::vector<int64_t> a, b;
    ScalarType ta, tb;
  };
  std::vector<Case> cases = {{{3, 4}, {3, 4}, kFloat, kFloat},  {{3, 1}, {1, 4}, kFloat, kDouble},
                             {{2, 3, 4}, {4}, kDouble, kFloat}, {{5}, {}, kLong, kFloat},
                             {{2, 3}, {2, 3}, kLong, kLong},    {{4, 1, 2}, {3, 1}, kFloat, kLong}};
  for (const Case& c : cases) {
    Tensor a = values(c.a, c.ta), b = values(c.b, c.tb);
    torch::Tensor ta = to_torch(a), tb = to_torch(b);
    SCOPED_TRACE(toString(IntArrayRef(c.a)) + " " + toString(IntArrayRef(c.b)));
    EXPECT_TRUE(Same(a + b, ta + tb));
    EXPECT_TRUE(Same(a.sub(b, 2), ta.sub(tb, 2)));
    EXPECT_TRUE(Same(a * b, ta * tb));
    EXPECT_TRUE(Same(a / b, ta / tb));
    EXPECT_TRUE(Same(a == b, ta == tb));
    EXPECT_TRUE(Same(a + 1.5, ta + 1.5));
    EXPECT_TRUE(Same(a * 3, ta * 3));
  }
}

TEST_F(DiffTest, PowOfPositiveBases) {
  Tensor a = values({3, 4}) * values({3, 4}) + 0.1;
  Tensor b = values({4});
  EXPECT_TRUE(Same(a.pow(b), to_torch(a).pow(to_torch(b))));
  EXPECT_TRUE(Same(a.pow(2.5), to_torch(a).pow(2.5)));
  Tensor i = values({6}, kLong), e = (values({6}, kLong) + 6) / 3;
  EXPECT_TRUE(Same(i.pow(e.to(kLong)), to_torch(i).pow(to_torch(e.to(kLong)))));
}

TEST_F(DiffTest, UnaryOps) {
  for (ScalarType dtype : {kFloat, kDouble, kLong}) {
    Tensor a = values({4, 5}, dtype);
    torch::Tensor t = to_torch(a);
    SCOPED_TRACE(toString(dtype));
    EXPECT_TRUE(Same(a.neg(), t.neg()));
    EXPECT_TRUE(Same(a.exp(), t.exp()));
    EXPECT_TRUE(Same(a.relu(), t.relu()));
    EXPECT_TRUE(Same(a.sigmoid(), t.sigmoid()));
    EXPECT_TRUE(Same(a.tanh(), t.tanh()));
    EXPECT_TRUE(Same(a.log(), t.log()));  // NaN for negatives in both.
  }
}

TEST_F(DiffTest, InPlaceOpsOnViews) {
  Tensor a = values({4, 6});
  Tensor row = values({2}).view({2, 1});
  torch::Tensor t = to_torch(a), trow = to_torch(row);
  a.t().slice(0, 1, 5, 2).mul_(3).add_(row);
  t.t().slice(0, 1, 5, 2).mul_(3).add_(trow);
  EXPECT_TRUE(Same(a, t));
}

TEST_F(DiffTest, Reductions) {
  Tensor a = values({3, 4, 5}, kDouble);
  torch::Tensor t = to_torch(a);
  EXPECT_TRUE(Same(a.sum(), t.sum()));
  EXPECT_TRUE(Same(a.sum(1), t.sum(1)));
  EXPECT_TRUE(Same(a.sum({0, 2}, true), t.sum(std::vector<int64_t>{0, 2}, true)));
  EXPECT_TRUE(Same(a.mean(), t.mean()));
  EXPECT_TRUE(Same(a.mean(-1), t.mean(-1)));
  EXPECT_TRUE(Same(a.permute({2, 0, 1}).sum(2), t.permute({2, 0, 1}).sum(2)));
  Tensor l = values({3, 4}, kLong);
  EXPECT_TRUE(Same(l.sum(0), to_torch(l).sum(0)));
  Tensor b = values({3, 4}) == values({3, 4}).relu();
  EXPECT_TRUE(Same(b.sum(), to_torch(b).sum()));
}

// Sums over all elements add in LibTorch's order (its cascade_sum), so
// they agree to the bit, not only to a tolerance: contiguous, permuted,
// strided and expanded inputs, of every length from 1 to past where the
// cascade carries, float32 and float64. LibTorch on one thread: with more
// it splits sums of 32768 elements or more.
TEST_F(DiffTest, SumsOfAllElementsAreLibTorchsToTheBit) {
  const int threads = torch::get_num_threads();
  torch::set_num_threads(1);
  auto bits_equal = [](const Tensor& e, const torch::Tensor& t) {
    const double mine = e.to(kDouble).item<double>(), theirs = t.to(torch::kDouble).item<double>();
    return ::testing::AssertionResult(mine == theirs || (std::isnan(mine) && std::isnan(theirs)))
           << std::setprecision(17) << mine << " vs " << theirs;
  };
  for (ScalarType dtype : {kDouble, kFloat}) {
    for (int64_t n : {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 255, 256, 257, 1000, 4097,
                      65536, 100003}) {
      SCOPED_TRACE(std::to_string(n) + (dtype == kFloat ? " float" : " double"));
      Tensor a = values({n}, dtype);
      torch::Tensor t = to_torch(a);
      EXPECT_TRUE(bits_equal(a.sum(), t.sum()));
      EXPECT_TRUE(bits_equal(a.mean(), t.mean()));
      if (n % 4 == 0) {
        EXPECT_TRUE(bits_equal(a.view({4, n / 4}).t().sum(), t.view({4, n / 4}).t().sum()));
        EXPECT_TRUE(bits_equal(a.view({4, n / 4}).slice(1, 0, n / 4, 2).sum(), t.view({4, n / 4}).slice(1, 0, n / 4, 2).sum()));
      }
      EXPECT_TRUE(bits_equal(a.slice(0, 0, n, 3).sum(), t.slice(0, 0, n, 3).sum()));
      EXPECT_TRUE(bits_equal(a.unsqueeze(0).expand({3, n}).sum(), t.unsqueeze(0).expand({3, n}).sum()));
    }
  }
  torch::set_num_threads(threads);
}

// Sums over dims too: every subset of dims of 3-D inputs, contiguous,
// permuted, strided and expanded, with and without keepdim, float32 and
// float64, sizes around the pack width and the cascade's step.
TEST_F(DiffTest, SumsOverDimsAreLibTorchsToTheBit) {
  const int threads = torch::get_num_threads();
  torch::set_num_threads(1);
  int compared = 0;
  for (ScalarType dtype : {kDouble, kFloat}) {
    for (std::vector<int64_t> sizes : std::vector<std::vector<int64_t>>{
             {3, 4, 5}, {2, 9, 17}, {7, 33, 3}, {40, 3, 9}, {1, 70, 8}, {5, 1, 130}, {65, 2, 1}}) {
      Tensor a = values(sizes, dtype);
      torch::Tensor t = to_torch(a);
      std::vector<std::pair<Tensor, torch::Tensor>> inputs = {
          {a, t},
          {a.permute({2, 0, 1}), t.permute({2, 0, 1})},
          {a.transpose(0, 1), t.transpose(0, 1)},
          {a.slice(2, 0, sizes[2], 2), t.slice(2, 0, sizes[2], 2)},
          {a.select(1, 0).unsqueeze(1).expand({sizes[0], 3, sizes[2]}),
           t.select(1, 0).unsqueeze(1).expand({sizes[0], 3, sizes[2]})},
          {a.select(2, 0).unsqueeze(2).expand({sizes[0], sizes[1], 11}),
           t.select(2, 0).unsqueeze(2).expand({sizes[0], sizes[1], 11})},
      };
      for (auto& [e, th] : inputs) {
        for (std::vector<int64_t> dims : std::vector<std::vector<int64_t>>{{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}}) {
          for (bool keepdim : {false, true}) {
            SCOPED_TRACE(toString(e.sizes()) + " strides " + toString(e.strides()) + " dims " + toString(IntArrayRef(dims)));
            Tensor mine = e.sum(dims, keepdim).to(kDouble).contiguous();
            torch::Tensor theirs = th.sum(dims, keepdim).to(torch::kDouble).contiguous();
            ASSERT_EQ(mine.numel(), theirs.numel());
            const double* m = mine.data_ptr<double>();
            const double* x = theirs.data_ptr<double>();
            for (int64_t i = 0; i < mine.numel(); ++i) ASSERT_EQ(m[i], x[i]) << "element " << i;
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 2 * 7 * 6 * 7 * 2);
  torch::set_num_threads(threads);
}

TEST_F(DiffTest, MatrixProducts) {
  Tensor a = values({7, 5}), b = values({5, 3});
  torch::Tensor ta = to_torch(a), tb = to_torch(b);
  EXPECT_TRUE(Same(a.mm(b), ta.mm(tb), 1e-4, 1e-5));
  EXPECT_TRUE(Same(b.t().mm(a.t()), tb.t().mm(ta.t()), 1e-4, 1e-5));
  Tensor c = values({2, 3, 7, 5}), d = values({5, 4});
  EXPECT_TRUE(Same(matmul(c, d), torch::matmul(to_torch(c), to_torch(d)), 1e-4, 1e-5));
  Tensor v = values({5});
  EXPECT_TRUE(Same(matmul(a, v), torch::matmul(ta, to_torch(v)), 1e-4, 1e-5));
  EXPECT_TRUE(Same(matmul(v, b), torch::matmul(to_torch(v), tb), 1e-4, 1e-5));
  Tensor la = values({3, 4}, kLong), lb = values({4, 2}, kLong);
  EXPECT_TRUE(Same(la.mm(lb), to_torch(la).mm(to_torch(lb))));
}

// Exactly equal int64 values (Same() compares in double, which rounds near 2^63).
::testing::AssertionResult SameLongs(const Tensor& e, const torch::Tensor& t) {
  if (e.dtype() != kLong || t.scalar_type() != torch::kLong)
    return ::testing::AssertionFailure() << "dtype " << e.dtype() << " vs " << t.scalar_type();
  Tensor c = e.contiguous();
  torch::Tensor tc = t.contiguous();
  if (c.numel() != tc.numel()) return ::testing::AssertionFailure() << "numel " << c.numel() << " vs " << tc.numel();
  const int64_t* mine = c.data_ptr<int64_t>();
  const int64_t* theirs = tc.data_ptr<int64_t>();
  for (int64_t i = 0; i < c.numel(); ++i) {
    if (mine[i] != theirs[i])
      return ::testing::AssertionFailure() << "element " << i << ": " << mine[i] << " vs " << theirs[i];
  }
  return ::testing::AssertionSuccess();
}

TEST_F(DiffTest, Int64ArithmeticWrapsAroundLikeLibTorchs) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  Tensor a = tensor({kMax, kMin, kMax, kMin, int64_t{3037000500}, int64_t{-7}});
  Tensor b = tensor({int64_t{1}, int64_t{-1}, kMax, kMin, int64_t{3037000500}, kMin});
  torch::Tensor ta = to_torch(a), tb = to_torch(b);
  EXPECT_TRUE(SameLongs(a + b, ta + tb));
  EXPECT_TRUE(SameLongs(a - b, ta - tb));
  EXPECT_TRUE(SameLongs(a * b, ta * tb));
  EXPECT_TRUE(SameLongs(a.add(b, 3), ta.add(tb, 3)));
  EXPECT_TRUE(SameLongs(a.sub(b, -5), ta.sub(tb, -5)));
  EXPECT_TRUE(SameLongs(a * kMax, ta * kMax));
  EXPECT_TRUE(SameLongs(-a, -ta));
  EXPECT_TRUE(SameLongs(a.pow(3), ta.pow(3)));
  EXPECT_TRUE(SameLongs(a.sum(), ta.sum()));
  EXPECT_TRUE(SameLongs(a.view({2, 3}).sum(0), ta.view({2, 3}).sum(0)));
  EXPECT_TRUE(SameLongs(a.view({2, 3}).mm(b.view({3, 2})), ta.view({2, 3}).mm(tb.view({3, 2}))));
}

TEST_F(DiffTest, FloatToLongOfNaNInfinityAndOutOfRangeIsLibTorchs) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> special = {nan, -nan, inf, -inf, 1e19, -1e19, 9.3e18, -9.3e18, 9.2e18, -0x1p63, 2.5, -2.5, -0.9};
  // Enough elements for LibTorch's vectorised loop as well as its scalar tail.
  std::vector<double> many;
  for (int i = 0; i < 64; ++i) many.push_back(special[i % special.size()]);
  for (ScalarType dtype : {kFloat, kDouble}) {
    Tensor e = tensor(ArrayRef<double>(many), kDouble).to(dtype);
    torch::Tensor t = to_torch(e);
    SCOPED_TRACE(toString(dtype));
    EXPECT_TRUE(SameLongs(e.to(kLong), t.to(torch::kLong)));
    EXPECT_TRUE(SameLongs(e.slice(0, 1, 64, 3).to(kLong), t.slice(0, 1, 64, 3).to(torch::kLong)));
  }
}

TEST_F(DiffTest, NumberConversionsThatFitAreLibTorchs) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(tensor({-1.5}).item<int64_t>(), torch::tensor(-1.5).item<int64_t>());
  EXPECT_EQ(tensor({nan}).item<bool>(), torch::tensor(nan).item<bool>());
  EXPECT_TRUE(std::isnan(tensor({nan}, kDouble).item<float>()));
  EXPECT_EQ(tensor({inf}, kDouble).item<float>(), torch::tensor(inf, torch::kDouble).item<float>());
  EXPECT_EQ(Scalar(-1).to<uint8_t>(), c10::Scalar(-1).to<uint8_t>());
  EXPECT_EQ(tensor({int64_t{1} << 62}).item<float>(),
            torch::tensor(int64_t{1} << 62).item<float>());
  // A number operand is wrapped, not checked: float overflow is inf in both.
  EXPECT_TRUE(Same(ones({1}).mul(1e40), torch::ones({1}).mul(1e40)));
  EXPECT_TRUE(Same(ones({1}).add_(1e40), torch::ones({1}).add_(1e40)));
}

TEST_F(DiffTest, CatAndStack) {
  Tensor a = values({2, 3}), b = values({4, 3}, kDouble);
  EXPECT_TRUE(Same(cat({a, b}), torch::cat({to_torch(a), to_torch(b)})));
  EXPECT_TRUE(Same(stack({a, a.mul(2)}, 2), torch::stack({to_torch(a), to_torch(a).mul(2)}, 2)));
  // The legacy empty tensor, 1-D of size 0, joins the dtype and is skipped.
  Tensor e = zeros({0}, kDouble);
  torch::Tensor te = torch::zeros({0}, torch::kDouble);
  EXPECT_TRUE(Same(cat({a, e}, 1), torch::cat({to_torch(a), te}, 1)));
  EXPECT_TRUE(Same(cat({e, a, e}), torch::cat({te, to_torch(a), te})));
  EXPECT_TRUE(Same(cat({e, zeros({0})}), torch::cat({te, torch::zeros({0})})));
}

TEST_F(DiffTest, ViewGeometry) {
  Tensor a = arange(60).view({3, 4, 5});
  torch::Tensor t = torch::arange(60).view({3, 4, 5});
  auto same_geometry = [](const Tensor& e, const torch::Tensor& t) {
    std::vector<int64_t> st(t.strides().begin(), t.strides().end());
    EXPECT_EQ(e.strides(), IntArrayRef(st));
    EXPECT_EQ(e.storage_offset(), t.storage_offset());
    EXPECT_EQ(e.is_contiguous(), t.is_contiguous());
    EXPECT_TRUE(Same(e, t));
  };
  same_geometry(a.transpose(0, 2), t.transpose(0, 2));
  same_geometry(a.permute({1, 2, 0}), t.permute({1, 2, 0}));
  same_geometry(a.permute({1, 2, 0}).reshape({20, 3}), t.permute({1, 2, 0}).reshape({20, 3}));
  same_geometry(a.select(1, 2), t.select(1, 2));
  same_geometry(a.narrow(2, 1, 3), t.narrow(2, 1, 3));
  same_geometry(a.slice(1, 1, 4, 2), t.slice(1, 1, 4, 2));
  same_geometry(a.unsqueeze(2), t.unsqueeze(2));
  same_geometry(a.select(0, 1).unsqueeze(0).expand({2, 4, 5}), t.select(0, 1).unsqueeze(0).expand({2, 4, 5}));
  same_geometry(a.view({3, 1, 20}).squeeze(), t.view({3, 1, 20}).squeeze());
  same_geometry(a.transpose(0, 1).contiguous(), t.transpose(0, 1).contiguous());
}

TEST_F(DiffTest, PrintedFormIsLibTorchs) {
  std::vector<Tensor> cases = {values({3}),
                               values({2, 3}, kDouble) * 1000,
                               values({2, 3}) / 1000,
                               values({2, 2, 3}),
                               values({3, 4}, kLong),
                               values({2, 40}),
                               tensor({1e-8, 1.0, 1e8}),
                               scalar_tensor(-2.25),
                               values({2, 3}) == 0,
                               empty({0})};
  for (const Tensor& e : cases) {
    std::ostringstream mine, theirs;
    mine << e;
    theirs << to_torch(e);
    EXPECT_EQ(mine.str(), theirs.str());
  }
}

// Ember's message must contain LibTorch's text for the same mistake.
template <class E, class T>
void SamePhrase(E ember_call, T torch_call) {
  std::string theirs, mine;
  try {
    torch_call();
  } catch (const c10::Error& e) {
    theirs = e.what_without_backtrace();
  } catch (const std::exception& e) {
    theirs = e.what();
  }
  try {
    ember_call();
  } catch (const Error& e) {
    mine = e.what();
  }
  ASSERT_FALSE(theirs.empty());
  EXPECT_NE(mine.find(theirs), std::string::npos) << "Ember:    " << mine << "\nLibTorch: " << theirs;
}

TEST_F(DiffTest, ErrorMessagesKeepLibTorchsPhrase) {
  SamePhrase([] { (void)(ones({2, 3}) + ones({4})); }, [] { (void)(torch::ones({2, 3}) + torch::ones({4})); });
  SamePhrase([] { (void)ones({2, 3}).t().view({6}); }, [] { (void)torch::ones({2, 3}).t().view({6}); });
  SamePhrase([] { (void)ones({2, 3}).select(0, 5); }, [] { (void)torch::ones({2, 3}).select(0, 5); });
  SamePhrase([] { (void)mm(ones({2, 3}), ones({2, 3})); }, [] { (void)torch::mm(torch::ones({2, 3}), torch::ones({2, 3})); });
  SamePhrase([] { (void)ones({2, 3}).expand({3, 3}); }, [] { (void)torch::ones({2, 3}).expand({3, 3}); });
  SamePhrase([] { (void)ones({2, 3}).permute({0, 0}); }, [] { (void)torch::ones({2, 3}).permute({0, 0}); });
  SamePhrase([] { (void)ones({2}, kBool).neg(); }, [] { (void)torch::ones({2}, torch::kBool).neg(); });
  SamePhrase([] { (void)ones({2}, kLong).add_(1.5); }, [] { (void)torch::ones({2}, torch::kLong).add_(1.5); });
  SamePhrase([] { (void)cat({ones({2, 3}), ones({2, 4})}); }, [] { (void)torch::cat({torch::ones({2, 3}), torch::ones({2, 4})}); });
  SamePhrase([] { (void)empty({-1}); }, [] { (void)torch::empty({-1}); });
  SamePhrase([] { (void)arange(3).mean(); }, [] { (void)torch::arange(3).mean(); });
  SamePhrase([] { (void)ones({1}).expand({3}).add_(1); }, [] { (void)torch::ones({1}).expand({3}).add_(1); });
  // Overlap is checked before shapes and dtypes, as LibTorch's TensorIterator does.
  SamePhrase([] { (void)ones({1}, kLong).expand({3}).add_(1.5); },
             [] { (void)torch::ones({1}, torch::kLong).expand({3}).add_(1.5); });
  SamePhrase([] { (void)ones({1}, kLong).expand({3}).exp_(); },
             [] { (void)torch::ones({1}, torch::kLong).expand({3}).exp_(); });
  SamePhrase([] { (void)ones({1}, kLong).expand({3}).pow_(0.5); },
             [] { (void)torch::ones({1}, torch::kLong).expand({3}).pow_(0.5); });
  SamePhrase([] { (void)ones({1}).expand({3}).copy_(ones({2})); },
             [] { (void)torch::ones({1}).expand({3}).copy_(torch::ones({2})); });
  SamePhrase([] { Tensor a = arange(12).to(kDouble); (void)a.view({4, 3}).add_(a.view({3, 4})); },
             [] { torch::Tensor a = torch::arange(12, torch::kDouble); (void)a.view({4, 3}).add_(a.view({3, 4})); });
  SamePhrase([] { (void)arange(3).pow(-1); }, [] { (void)torch::arange(3).pow(-1); });
  SamePhrase([] { (void)arange(3).pow_(-2); }, [] { (void)torch::arange(3).pow_(-2); });
  SamePhrase([] { (void)arange(3).pow_(0.5); }, [] { (void)torch::arange(3).pow_(0.5); });
  SamePhrase([] { (void)ones({2}, kBool).relu(); }, [] { (void)torch::ones({2}, torch::kBool).relu(); });
  SamePhrase([] { (void)zeros({0, 3}).view({-1, 0}); }, [] { (void)torch::zeros({0, 3}).view({-1, 0}); });
  SamePhrase([] { (void)zeros({0, 3}).reshape({0, -1}); }, [] { (void)torch::zeros({0, 3}).reshape({0, -1}); });
  SamePhrase([] { (void)cat({}); }, [] { (void)torch::cat(std::vector<torch::Tensor>{}); });
  SamePhrase([] { (void)cat({ones({2}), scalar_tensor(1)}); },
             [] { (void)torch::cat({torch::ones({2}), torch::scalar_tensor(1)}); });
  SamePhrase([] { (void)stack({}); }, [] { (void)torch::stack(std::vector<torch::Tensor>{}); });
  SamePhrase([] { (void)arange(3, kBool); }, [] { (void)torch::arange(3, torch::kBool); });
  SamePhrase([] { (void)rand({2}, kLong); }, [] { (void)torch::rand({2}, torch::kLong); });
  SamePhrase([] { (void)randn({2}, kLong); }, [] { (void)torch::randn({2}, torch::kLong); });
  SamePhrase([] { (void)empty_strided({2, 3}, {-1, 2}); }, [] { (void)torch::empty_strided({2, 3}, {-1, 2}); });
  SamePhrase([] { (void)mm(ones({2, 2}), ones({2, 2}, kLong)); },
             [] { (void)torch::mm(torch::ones({2, 2}), torch::ones({2, 2}, torch::kLong)); });
  SamePhrase([] { (void)bmm(ones({2, 2, 3}), ones({3, 3, 2})); },
             [] { (void)torch::bmm(torch::ones({2, 2, 3}), torch::ones({3, 3, 2})); });
  SamePhrase([] { (void)bmm(ones({2, 3}), ones({3, 3, 2})); },
             [] { (void)torch::bmm(torch::ones({2, 3}), torch::ones({3, 3, 2})); });
  SamePhrase([] { (void)arange(3).add(arange(3), 2.5); }, [] { (void)torch::arange(3).add(torch::arange(3), 2.5); });
  SamePhrase([] { (void)ones({2, 3}).sum_to_size({2}); }, [] { (void)torch::ones({2, 3}).sum_to_size({2}); });
  // arange's checks, and an allocation no memory can hold.
  SamePhrase([] { (void)arange(5, 0, 1); }, [] { (void)torch::arange(5, 0, 1); });
  SamePhrase([] { (void)arange(0, HUGE_VAL, 1); }, [] { (void)torch::arange(0, HUGE_VAL, 1); });
  SamePhrase([] { (void)arange(0, 1e20, 1); }, [] { (void)torch::arange(0, 1e20, 1); });
}

TEST_F(DiffTest, AnAllocationNoMemoryCanHoldKeepsLibTorchsPhrase) {
  std::string theirs, mine;
  try {
    (void)torch::empty({int64_t{1} << 60});
  } catch (const c10::Error& e) {
    theirs = e.what_without_backtrace();
  }
  try {
    (void)empty({int64_t{1} << 60});
  } catch (const Error& e) {
    mine = e.what();
  }
  // LibTorch's starts with where its check failed ("[enforce fail at
  // alloc_cpu.cpp:75] err == 0. "), which is not Ember's to copy.
  const size_t phrase = theirs.find("DefaultCPUAllocator: ");
  ASSERT_NE(phrase, std::string::npos) << theirs;
  EXPECT_NE(mine.find(theirs.substr(phrase)), std::string::npos) << "Ember:    " << mine << "\nLibTorch: " << theirs;
  // Checked number conversions: item<T>(), Scalar::to<T>() and the ops that
  // convert a number argument (fill, alpha).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  SamePhrase([&] { (void)tensor({nan}).item<int64_t>(); }, [&] { (void)torch::tensor(nan).item<int64_t>(); });
  SamePhrase([] { (void)tensor({1e30}).item<int64_t>(); }, [] { (void)torch::tensor(1e30).item<int64_t>(); });
  SamePhrase([] { (void)tensor({3e9}).item<int>(); }, [] { (void)torch::tensor(3e9).item<int>(); });
  SamePhrase([] { (void)Scalar(int64_t{3000000000}).to<int>(); }, [] { (void)c10::Scalar(int64_t{3000000000}).to<int>(); });
  SamePhrase([] { (void)Scalar(300).to<uint8_t>(); }, [] { (void)c10::Scalar(300).to<uint8_t>(); });
  SamePhrase([] { (void)full({1}, 1e40, kFloat); }, [] { (void)torch::full({1}, 1e40, torch::kFloat); });
  SamePhrase([] { (void)ones({1}).add(ones({1}), 1e40); }, [] { (void)torch::ones({1}).add(torch::ones({1}), 1e40); });
  Tensor inf;
  torch::Tensor tinf;
  {
    InferenceMode g;
    inf = ones({2});
  }
  {
    c10::InferenceMode g;
    tinf = torch::ones({2});
  }
  SamePhrase([&] { (void)inf._version(); }, [&] { (void)tinf._version(); });
  SamePhrase([&] { inf.unsafeGetTensorImpl()->bump_version("add_"); }, [&] { (void)tinf.add_(1); });
}

}  // namespace
}  // namespace ember
