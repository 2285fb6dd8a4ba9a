"""ember_headers: the headers of some cc_library targets, as files.

A genrule that runs //migrate parses C++ and so needs, inside its sandbox, every
header the sources reach; a cc_library in `srcs` gives only its archives.
"""

def _ember_headers_impl(ctx):
    return [DefaultInfo(files = depset(transitive = [
        dep[CcInfo].compilation_context.headers
        for dep in ctx.attr.deps
    ]))]

ember_headers = rule(
    implementation = _ember_headers_impl,
    attrs = {"deps": attr.label_list(providers = [CcInfo])},
    doc = "The transitive headers of `deps` (for tools that parse sources).",
)
