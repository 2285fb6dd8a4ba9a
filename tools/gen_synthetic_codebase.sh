#!/usr/bin/env bash
# Writes a synthetic LibTorch extension codebase for //migrate's scale
# benchmark (bench/migrate_scale.sh): translation units that include what a
# typical extension file includes, a few of which use the legacy guard
# at::AutoNonVariableTypeMode in KERNEL context (forward of a custom
# torch::autograd::Function) or INFERENCE context (a predictor's predict), plus
# a compile_commands.json and a manifest of the seeded sites.
#
#   tools/gen_synthetic_codebase.sh <out dir> [--tus N] [--legacy-percent P] [--seed S]
#
# Deterministic: the same arguments give byte-identical files (only the
# absolute "directory" of compile_commands.json depends on <out dir>). Bash
# only, no Python: a fresh Debian 12 may not have python3.
#
# Output:
#   include/fastvision/*.h     project headers (none mentions the legacy guard)
#   src/{ops,tensor,util,serving}/*.cpp
#   compile_commands.json      one entry per TU, the same flags for all
#   seeded_sites.txt           "<file>:<line>:<column> <KERNEL|INFERENCE>", sorted
#
# Every TU starts with a file comment of its own, then the same block of
# includes (what a shared precompiled preamble can cover), then one to three
# includes of its own.
set -euo pipefail

readonly prog="gen_synthetic_codebase"
die() { echo "${prog}: error: $*" >&2; exit 2; }

out=""
tus=200
legacy_percent=2
seed=1
while (($# > 0)); do
  case "$1" in
    --tus) (($# >= 2)) || die "--tus needs a value"; tus="$2"; shift 2 ;;
    --tus=*) tus="${1#*=}"; shift ;;
    --legacy-percent) (($# >= 2)) || die "--legacy-percent needs a value"; legacy_percent="$2"; shift 2 ;;
    --legacy-percent=*) legacy_percent="${1#*=}"; shift ;;
    --seed) (($# >= 2)) || die "--seed needs a value"; seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z "${out}" ]] || die "more than one output directory: '${out}' and '$1'"; out="$1"; shift ;;
  esac
done
[[ -n "${out}" ]] || die "no output directory given (usage: ${prog}.sh <out dir> [--tus N] [--legacy-percent P] [--seed S])"
[[ "${tus}" =~ ^[0-9]+$ ]] && ((tus >= 1 && tus <= 100000)) || die "--tus must be an integer from 1 to 100000, got '${tus}'"
[[ "${legacy_percent}" =~ ^[0-9]+$ ]] && ((legacy_percent <= 100)) || die "--legacy-percent must be an integer from 0 to 100, got '${legacy_percent}'"
[[ "${seed}" =~ ^[0-9]+$ ]] && ((${#seed} <= 9)) || die "--seed must be a non-negative integer below 10^9, got '${seed}'"
if [[ -e "${out}" ]]; then
  [[ -d "${out}" ]] || die "${out} exists and is not a directory"
  [[ -z "$(ls -A "${out}")" ]] || die "${out} is not empty; give a new or empty directory"
fi
mkdir -p "${out}"
out="$(cd "${out}" && pwd)"

# A 31-bit LCG of our own: bash's $RANDOM sequence is not promised to stay the
# same across bash versions. rand N sets REPLY to 0..N-1.
rng=$((seed * 2654435761 % 2147483647 + 1))
rand() {
  rng=$(((rng * 1103515245 + 12345) & 0x7fffffff))
  REPLY=$(((rng >> 8) % $1))
}

# round(tus * percent / 100), at least one when the percentage is not zero.
seeded_count=$(((tus * legacy_percent + 50) / 100))
((legacy_percent == 0 || seeded_count >= 1)) || seeded_count=1

# ---------------------------------------------------------------------------
# Project headers.
mkdir -p "${out}/include/fastvision" "${out}/src/ops" "${out}/src/tensor" "${out}/src/util" "${out}/src/serving"

cat > "${out}/include/fastvision/common.h" <<'EOF'
// fastvision/common.h: checks and constants shared by every fastvision file.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdint>

namespace fastvision {

constexpr int64_t kMaxBatch = 1024;
constexpr double kDefaultEps = 1e-5;

inline void check_same_dim(const at::Tensor& a, const at::Tensor& b, const char* op) {
  TORCH_CHECK(a.dim() == b.dim(), op, ": inputs have ", a.dim(), " and ", b.dim(), " dimensions");
}

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace fastvision
EOF

cat > "${out}/include/fastvision/tensor_utils.h" <<'EOF'
// fastvision/tensor_utils.h: small shape helpers.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace fastvision {

inline std::vector<int64_t> shape_of(const at::Tensor& t) { return t.sizes().vec(); }

inline int64_t product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

inline at::Tensor as_matrix(const at::Tensor& t) { return t.reshape({t.size(0), -1}); }

}  // namespace fastvision
EOF

cat > "${out}/include/fastvision/logging.h" <<'EOF'
// fastvision/logging.h: one line per event, routed by the host application.
#pragma once

#include <string>

namespace fastvision {

enum class LogLevel { kDebug, kInfo, kWarning };

void log_message(LogLevel level, const char* where, const std::string& what);

}  // namespace fastvision

#define FASTVISION_LOG(level, what) ::fastvision::log_message(::fastvision::LogLevel::level, __func__, (what))
EOF

cat > "${out}/include/fastvision/registry.h" <<'EOF'
// fastvision/registry.h: name -> op table for the Python-free C++ API.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

namespace fastvision {

using UnaryOp = std::function<at::Tensor(const at::Tensor&)>;

std::unordered_map<std::string, UnaryOp>& op_registry();

struct RegisterOp {
  RegisterOp(const std::string& name, UnaryOp fn) { op_registry().emplace(name, std::move(fn)); }
};

}  // namespace fastvision
EOF

# ---------------------------------------------------------------------------
# Names.
ops_bases=(roi_align roi_pool ps_roi_align ps_roi_pool nms batched_nms deform_conv2d box_iou
  box_area generalized_iou focal_loss sigmoid_focal_loss smooth_l1 masked_conv upsample_nearest
  grid_sample bilinear_interp channel_shuffle pixel_shuffle layer_norm group_norm fused_gelu
  fused_bias_relu swish mish dropout_mask rotary_embedding attention_scores)
tensor_bases=(normalize standardize clip_boxes scale_boxes anchor_grid heatmap_decode topk_filter
  score_threshold resize_keep_ratio pad_to_multiple center_crop color_jitter mixup cutmix
  label_smoothing one_hot moving_average ema_update cosine_similarity pairwise_distance)
util_bases=(shape_utils dim_utils string_utils dtype_utils config_parser checkpoint_paths
  device_select tensor_checks timer_stats batch_sizes grid_math stride_utils)
serving_bases=(predictor classifier detector segmenter embedder ranker reranker scorer captioner tagger)
suffixes=("" _cpu _impl _utils _v2 _batched _fast _ref _ext _compat)
declare -A category_count=([ops]=0 [tensor]=0 [util]=0 [serving]=0)

# next_name <category>: REPLY = a file stem unique within the category.
next_name() {
  local -n bases="$1_bases"
  local c=${category_count[$1]}
  local nb=${#bases[@]} ns=${#suffixes[@]}
  local name="${bases[c % nb]}${suffixes[(c / nb) % ns]}"
  ((c < nb * ns)) || name="${name}_$((c / (nb * ns)))"
  category_count[$1]=$((c + 1))
  REPLY="${name}"
}

# camel roi_align_cpu -> RoiAlignCpu
camel() {
  local word result=""
  IFS=_ read -ra words <<< "$1"
  for word in "${words[@]}"; do result+="${word^}"; done
  REPLY="${result}"
}

describe() {
  case "$1" in
    ops) REPLY="custom autograd op" ;;
    tensor) REPLY="tensor transforms" ;;
    util) REPLY="shape and dtype helpers" ;;
    serving) REPLY="inference entry point" ;;
  esac
}

# ---------------------------------------------------------------------------
# Snippets. Each takes the function-name prefix; numeric constants come from
# the generator so that no two files are the same.

snippet_normalize() {
  rand 9; local eps="1e-$((REPLY + 3))"
  cat <<EOF
at::Tensor $1_normalize(const at::Tensor& x, double eps = ${eps}) {
  at::Tensor centered = x.sub(x.mean());
  return centered.div(centered.pow(2).mean().add(eps).sqrt());
}

EOF
}

snippet_clamp_scale() {
  rand 5; local lo="-$((REPLY + 1)).0"
  rand 5; local hi="$((REPLY + 1)).5"
  rand 90; local scale="0.$((REPLY + 10))"
  cat <<EOF
at::Tensor $1_clamp_scale(const at::Tensor& x) {
  return x.clamp_min(${lo}).clamp_max(${hi}).mul(${scale});
}

EOF
}

snippet_mask_below() {
  rand 50; local threshold="0.$((REPLY + 10))"
  cat <<EOF
at::Tensor $1_mask_below(const at::Tensor& scores) {
  return scores.masked_fill(scores.lt(${threshold}), 0.0);
}

EOF
}

snippet_softmax_rows() {
  cat <<EOF
at::Tensor $1_softmax_rows(const at::Tensor& logits) {
  TORCH_CHECK(logits.dim() >= 2, "$1_softmax_rows: expected a batch of rows, got ", logits.dim(), " dims");
  return logits.flatten(1).softmax(-1);
}

EOF
}

snippet_linear() {
  cat <<EOF
at::Tensor $1_linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
  fastvision::check_same_dim(x, weight, "$1_linear");
  return x.matmul(weight.t()).add(bias);
}

EOF
}

snippet_inplace_update() {
  rand 90; local momentum="0.$((REPLY + 10))"
  cat <<EOF
void $1_update_(at::Tensor& running, const at::Tensor& batch_value) {
  running.mul_(${momentum}).add_(batch_value, 1.0 - ${momentum});
}

EOF
}

snippet_drop_dim() {
  cat <<EOF
std::vector<int64_t> $1_drop_dim(c10::IntArrayRef sizes, int64_t dim) {
  TORCH_CHECK(dim >= 0 && dim < static_cast<int64_t>(sizes.size()), "$1_drop_dim: dim ", dim, " out of range");
  std::vector<int64_t> out(sizes.begin(), sizes.end());
  out.erase(out.begin() + dim);
  return out;
}

EOF
}

snippet_join() {
  cat <<EOF
std::string $1_join(const std::vector<int64_t>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(values[i]);
  }
  return text + "]";
}

EOF
}

snippet_check_pair() {
  cat <<EOF
void $1_check_pair(const at::Tensor& a, const at::Tensor& b) {
  TORCH_CHECK(a.sizes() == b.sizes(), "$1: size mismatch");
  TORCH_CHECK(a.scalar_type() == b.scalar_type(), "$1: dtype mismatch");
}

EOF
}

snippet_round_up() {
  rand 4; local block=$((32 << REPLY))
  cat <<EOF
int64_t $1_round_up(int64_t n, int64_t block = ${block}) {
  return fastvision::ceil_div(n, block) * block;
}

EOF
}

snippet_batches() {
  cat <<EOF
std::vector<at::Tensor> $1_split_batches(const at::Tensor& x, int64_t batch) {
  TORCH_CHECK(batch > 0 && batch <= fastvision::kMaxBatch, "$1: bad batch size ", batch);
  std::vector<at::Tensor> parts;
  for (int64_t start = 0; start < x.size(0); start += batch) {
    parts.push_back(x.narrow(0, start, std::min(batch, x.size(0) - start)));
  }
  return parts;
}

EOF
}

helper_snippets=(normalize clamp_scale mask_below softmax_rows linear inplace_update drop_dim join
  check_pair round_up batches)

# autograd_function <stem> <seeded: 0|1>: the file's custom Function; with 1
# its forward opens with the legacy guard (KERNEL context).
autograd_function() {
  camel "$1"; local cls="${REPLY}Function"
  rand 3; local kind=${REPLY}
  local forward_body backward_body
  case ${kind} in
    0) forward_body="ctx->save_for_backward({input});
    return input.mul(scale);"
       backward_body="return {grad_output[0].mul(ctx->saved_data[\"scale\"].toDouble()), at::Tensor()};" ;;
    1) forward_body="at::Tensor out = input.relu();
    ctx->save_for_backward({out});
    return out.mul(scale);"
       backward_body="at::Tensor out = ctx->get_saved_variables()[0];
    return {grad_output[0].mul(out.gt(0)).mul(ctx->saved_data[\"scale\"].toDouble()), at::Tensor()};" ;;
    2) forward_body="at::Tensor y = input.sigmoid();
    ctx->save_for_backward({y});
    return y.mul(scale);"
       backward_body="at::Tensor y = ctx->get_saved_variables()[0];
    return {grad_output[0].mul(y).mul(y.neg().add(1.0)).mul(ctx->saved_data[\"scale\"].toDouble()), at::Tensor()};" ;;
  esac
  local guard=""
  if (($2)); then
    rand 2
    if ((REPLY)); then guard=$'\n    at::AutoNonVariableTypeMode guard(true);'; else guard=$'\n    at::AutoNonVariableTypeMode g;'; fi
  fi
  cat <<EOF
class ${cls} : public torch::autograd::Function<${cls}> {
 public:
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& input, double scale) {${guard}
    ctx->saved_data["scale"] = scale;
    ${forward_body}
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_output) {
    ${backward_body}
  }
};

at::Tensor $1(const at::Tensor& input, double scale) {
  return ${cls}::apply(input, scale);
}

EOF
}

# predictor <stem> <seeded: 0|1>: a serving class; with 1 its predict uses
# the legacy guard (INFERENCE context), otherwise InferenceMode.
predictor() {
  camel "$1"; local cls="${REPLY}"
  local guard="c10::InferenceMode guard;"
  if (($2)); then
    rand 2
    if ((REPLY)); then guard="at::AutoNonVariableTypeMode guard;"; else guard="at::AutoNonVariableTypeMode no_autograd(true);"; fi
  fi
  rand 3; local head
  case ${REPLY} in
    0) head="x.matmul(weight_).sigmoid()" ;;
    1) head="x.matmul(weight_).softmax(-1)" ;;
    2) head="x.matmul(weight_).relu().add(bias_)" ;;
  esac
  cat <<EOF
class ${cls} {
 public:
  ${cls}(at::Tensor weight, at::Tensor bias) : weight_(std::move(weight)), bias_(std::move(bias)) {}

  std::vector<at::Tensor> predict(const std::vector<at::Tensor>& batch) const {
    ${guard}
    std::vector<at::Tensor> out;
    out.reserve(batch.size());
    for (const at::Tensor& x : batch) out.push_back(${head});
    return out;
  }

 private:
  at::Tensor weight_;
  at::Tensor bias_;
};

EOF
}

common_includes='#include <ATen/core/LegacyTypeDispatch.h>
#include <ATen/core/Tensor.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fastvision/common.h"'
extra_system=("<unordered_set>" "<array>" "<cmath>" "<map>" "<memory>" "<mutex>" "<numeric>" "<tuple>")
extra_project=('"fastvision/logging.h"' '"fastvision/registry.h"' '"fastvision/tensor_utils.h"')

# ---------------------------------------------------------------------------
# Which TUs are seeded: seeded_count distinct indices, KERNEL and INFERENCE
# alternating in index order.
declare -A seeded_context=()
picked=0
while ((picked < seeded_count)); do
  rand "${tus}"
  [[ -z "${seeded_context[${REPLY}]:-}" ]] || continue
  seeded_context[${REPLY}]=pending
  picked=$((picked + 1))
done
alternate=0
for ((i = 0; i < tus; i++)); do
  [[ -n "${seeded_context[$i]:-}" ]] || continue
  if ((alternate % 2 == 0)); then seeded_context[$i]=KERNEL; else seeded_context[$i]=INFERENCE; fi
  alternate=$((alternate + 1))
done

files=()
manifest=()
for ((i = 0; i < tus; i++)); do
  context="${seeded_context[$i]:-}"
  case "${context}" in
    KERNEL) category=ops ;;
    INFERENCE) category=serving ;;
    *)
      rand 100
      if ((REPLY < 35)); then category=ops
      elif ((REPLY < 65)); then category=tensor
      elif ((REPLY < 85)); then category=util
      else category=serving; fi ;;
  esac
  next_name "${category}"; stem="${REPLY}"
  file="src/${category}/${stem}.cpp"
  files+=("${file}")
  describe "${category}"; description="${REPLY}"

  # One to three includes of the file's own after the common block.
  rand 2; extras=()
  ((REPLY == 0)) || { rand ${#extra_system[@]}; extras+=("#include ${extra_system[REPLY]}"); }
  rand ${#extra_project[@]}; first=${REPLY}
  extras+=("#include ${extra_project[first]}")
  rand 3
  if ((REPLY == 0)); then extras+=("#include ${extra_project[(first + 1) % ${#extra_project[@]}]}"); fi

  # Two to four helpers, distinct within the file.
  rand 3; helpers=$((REPLY + 2)); chosen=()
  while ((${#chosen[@]} < helpers)); do
    rand ${#helper_snippets[@]}; candidate="${helper_snippets[REPLY]}"
    [[ " ${chosen[*]} " == *" ${candidate} "* ]] || chosen+=("${candidate}")
  done

  {
    printf '// %s: %s (fastvision, synthetic #%d).\n' "${file}" "${description}" "${i}"
    printf '%s\n' "${common_includes}"
    printf '%s\n' "${extras[@]}"
    printf '\nnamespace fastvision::%s {\n\n' "${category}"
    for helper in "${chosen[@]}"; do "snippet_${helper}" "${stem}"; done
    case "${category}" in
      ops) autograd_function "${stem}" "$([[ "${context}" == KERNEL ]] && echo 1 || echo 0)" ;;
      serving) predictor "${stem}" "$([[ "${context}" == INFERENCE ]] && echo 1 || echo 0)" ;;
    esac
    printf '}  // namespace fastvision::%s\n' "${category}"
  } > "${out}/${file}"

  if [[ -n "${context}" ]]; then
    where="$(awk '{ c = index($0, "at::AutoNonVariableTypeMode"); if (c) { print NR ":" c; exit } }' "${out}/${file}")"
    [[ -n "${where}" ]] || die "internal: seeded ${file} has no legacy guard"
    manifest+=("${file}:${where} ${context}")
  fi
done

# The flags LibTorch 1.13's TorchConfig.cmake gives an extension
# (TORCH_CXX_FLAGS, the API include dir), plus a project's usual ones.
{
  echo "["
  sep=""
  for file in "${files[@]}"; do
    printf '%s  {"directory": "%s", "file": "%s", "command": "/usr/bin/clang++-14 -std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1 -DNDEBUG -O2 -fPIC -Wall -Iinclude -isystem /usr/include/torch/csrc/api/include -c %s -o build/%s.o"}' \
      "${sep}" "${out}" "${file}" "${file}" "${file%.cpp}"
    sep=$',\n'
  done
  printf '\n]\n'
} > "${out}/compile_commands.json"

if ((${#manifest[@]} > 0)); then printf '%s\n' "${manifest[@]}" | LC_ALL=C sort > "${out}/seeded_sites.txt"; else : > "${out}/seeded_sites.txt"; fi
echo "${prog}: ${tus} translation unit(s), ${seeded_count} seeded, in ${out}" >&2
