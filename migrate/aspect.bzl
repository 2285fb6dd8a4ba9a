"""migrate_aspect: runs //migrate on every C++ target with its exact flags.

    bazel build //some/... \\
        --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate
    bazel run @ember//migrate:apply_fixes -- [--dry-run]

For each cc_library, cc_binary and cc_test (the targets named on the command
line and, through `deps`, everything they depend on in the main repository),
one action runs the tool over the target's own C++ sources with the flags its
compile actions use, and writes, next to the target's outputs:

    <target>.migrate.yaml   the edits, for clang-apply-replacements
    <target>.migrate.json   the report (sites, occurrences, counts)
    <target>.migrate.log    the tool's messages and its exit status
    <target>.migrate.sha256 the edited files as they were (stale fixes are skipped)

Tool options for every target come from the build setting
`@ember//migrate:options` (a comma-separated list), e.g.

    --@ember//migrate:options=--kernel-guard=remove,--assume=inference

Only the options that change decisions or parsing are accepted (`--assume`,
`--kernel-guard`, `--strict`, `--no-prescan`, `--no-shared-preamble`); the
aspect sets the others itself, and any other option fails the analysis.

Paths in both files are workspace-relative. Only files of the main
repository are ever edited: never generated files (bazel-out) nor external
repositories. Because each target is one ordinary action with declared
inputs, remote execution and the remote cache apply unchanged.
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "CPP_COMPILE_ACTION_NAME")
load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

_RULES = ["cc_library", "cc_binary", "cc_test"]

_SOURCE_EXTENSIONS = ["cc", "cpp", "cxx", "c++", "C", "cu"]

_HEADER_EXTENSIONS = ["h", "hh", "hpp", "hxx", "h++", "H", "inl", "ipp", "tcc"]

MigrateInfo = provider(
    doc = "The migrate outputs of a target and of its dependencies.",
    fields = {"files": "depset of .migrate.{yaml,json,log,sha256} files"},
)

MigrateOptionsInfo = provider(
    doc = "The //migrate options the aspect passes to every target's run.",
    fields = {"options": "list of command-line options"},
)

# Options a user may set for the aspect: the rest (outputs, filters, -j,
# --in-place) belong to the action and would break it.
_VALUE_OPTIONS = {
    "--assume": ["inference", "kernel"],
    "--kernel-guard": ["replace", "remove"],
}
_SWITCH_OPTIONS = ["--strict", "--no-prescan", "--no-shared-preamble"]

def _migrate_options_impl(ctx):
    options = ctx.build_setting_value
    for option in options:
        name, eq, value = option.partition("=")
        if name in _VALUE_OPTIONS and eq and value in _VALUE_OPTIONS[name]:
            continue
        if option in _SWITCH_OPTIONS:
            continue
        if name in _VALUE_OPTIONS:
            fail("%s: '%s' takes one of %s, as %s=%s (got '%s')" % (
                ctx.label,
                name,
                ", ".join(_VALUE_OPTIONS[name]),
                name,
                _VALUE_OPTIONS[name][0],
                option,
            ))
        fail("%s: '%s' is not an option the aspect passes on; allowed: %s" % (
            ctx.label,
            option,
            ", ".join([n + "=..." for n in sorted(_VALUE_OPTIONS.keys())] + _SWITCH_OPTIONS),
        ))
    return [MigrateOptionsInfo(options = options)]

migrate_options = rule(
    implementation = _migrate_options_impl,
    doc = "A build setting: the //migrate options of migrate_aspect's runs.",
    build_setting = config.string_list(flag = True),
)

def _has_extension(f, extensions):
    return f.extension in extensions

def _split_copts(ctx, copts):
    # As cc rules do: each copt is a Bourne-shell word list.
    out = []
    for copt in copts:
        out.extend(ctx.tokenize(copt))
    return out

def _compile_flags(ctx, target):
    """The C++ compile command line of `target`, without -c/-o/source."""
    cc_toolchain = find_cpp_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    compilation = target[CcInfo].compilation_context
    user_flags = ctx.fragments.cpp.copts + ctx.fragments.cpp.cxxopts
    user_flags = user_flags + _split_copts(ctx, getattr(ctx.rule.attr, "copts", []))
    defines = [compilation.defines]
    if hasattr(compilation, "local_defines"):
        defines.append(compilation.local_defines)
    variables = cc_common.create_compile_variables(
        cc_toolchain = cc_toolchain,
        feature_configuration = feature_configuration,
        user_compile_flags = user_flags,
        include_directories = compilation.includes,
        quote_include_directories = compilation.quote_includes,
        system_include_directories = compilation.system_includes,
        framework_include_directories = compilation.framework_includes,
        preprocessor_defines = depset(transitive = defines),
    )
    return cc_common.get_memory_inefficient_command_line(
        feature_configuration = feature_configuration,
        action_name = CPP_COMPILE_ACTION_NAME,
        variables = variables,
    )

def _probe(files, compilation):
    """A source file of the main repository: the action finds the
    workspace's real path from it. None when the target reaches none."""
    for f in files:
        if f.is_source and not f.owner.workspace_name:
            return f
    for f in compilation.headers.to_list():
        if f.is_source and not f.owner.workspace_name:
            return f
    return None

def _migrate_aspect_impl(target, ctx):
    transitive = [
        dep[MigrateInfo].files
        for dep in getattr(ctx.rule.attr, "deps", [])
        if MigrateInfo in dep
    ]
    own = []
    if (ctx.rule.kind in _RULES and CcInfo in target and
        not target.label.workspace_name):
        own = _run(target, ctx)
    files = depset(own, transitive = transitive)
    return [MigrateInfo(files = files), OutputGroupInfo(migrate = files)]

def _run(target, ctx):
    srcs = getattr(ctx.rule.files, "srcs", [])
    hdrs = getattr(ctx.rule.files, "hdrs", [])
    sources = [f for f in srcs if _has_extension(f, _SOURCE_EXTENSIONS)]
    headers = [f for f in srcs + hdrs if _has_extension(f, _HEADER_EXTENSIONS)]

    # The sources' includes reach the target's headers, with the callers that
    # decide KERNEL or INFERENCE; a header-only library is parsed on its own.
    mains = sources if sources else headers
    if not mains:
        return []
    compilation = target[CcInfo].compilation_context
    probe = _probe(mains, compilation)

    prefix = ctx.label.name + ".migrate."
    fixes = ctx.actions.declare_file(prefix + "yaml")
    report = ctx.actions.declare_file(prefix + "json")
    log = ctx.actions.declare_file(prefix + "log")
    sums = ctx.actions.declare_file(prefix + "sha256")

    args = ctx.actions.args()
    args.add(ctx.executable._migrate)
    args.add_all([fixes, report, log, sums])
    args.add(probe.path if probe else "")
    options = ctx.attr._options[MigrateOptionsInfo].options
    args.add(str(len(options)))
    args.add_all(options)
    args.add_all(mains)
    args.add("--")

    # Headers given as main files must parse as C++, not C.
    args.add_all(["-x", "c++"])
    args.add_all(_compile_flags(ctx, target))

    ctx.actions.run(
        executable = ctx.executable._runner,
        arguments = [args],
        inputs = depset(mains + headers, transitive = [compilation.headers]),
        tools = [ctx.executable._migrate],
        outputs = [fixes, report, log, sums],
        mnemonic = "MigrateGuards",
        progress_message = "Migrating legacy guards in %s" % ctx.label,
    )
    return [fixes, report, log, sums]

migrate_aspect = aspect(
    implementation = _migrate_aspect_impl,
    attr_aspects = ["deps"],
    attrs = {
        "_cc_toolchain": attr.label(
            default = Label("@bazel_tools//tools/cpp:current_cc_toolchain"),
        ),
        "_migrate": attr.label(
            default = Label("//migrate:migrate"),
            executable = True,
            cfg = "exec",
        ),
        "_runner": attr.label(
            default = Label("//migrate:aspect_action"),
            executable = True,
            cfg = "exec",
        ),
        "_options": attr.label(default = Label("//migrate:options")),
    },
    fragments = ["cpp"],
)

def _migrate_outputs_impl(ctx):
    files = depset(transitive = [target[MigrateInfo].files for target in ctx.attr.targets])
    return [DefaultInfo(files = files, runfiles = ctx.runfiles(transitive_files = files))]

# The same outputs as a build target instead of command-line flags: for a
# test, or a CI step that keeps a codebase migrated.
migrate_outputs = rule(
    implementation = _migrate_outputs_impl,
    doc = "The migrate_aspect outputs of `targets` and of their dependencies.",
    attrs = {
        "targets": attr.label_list(aspects = [migrate_aspect]),
    },
)
