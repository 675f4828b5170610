#!/usr/bin/env bash
# Compiler vs clang, one command: compiles the C twins in bench/twins with clang-22 (as libbpf users
# do), builds the C# programs (the CSharpBpf generator compiles them at build time) and prints, per
# program, both instruction counts, their ratio and the kernel verifier's "processed insns" for each,
# with the geometric means at the bottom. Pass --markdown for the README table.
# Needs: clang-22, libbpf-dev headers, bpftool (vmlinux.h), .NET SDK 10. Kernel columns need a process that may load BPF.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# asm/types.h lives in the multiarch include folder; -target bpf does not look there by itself.
multiarch="$(ls -d /usr/include/*-linux-gnu 2>/dev/null | head -n1 || true)"
# Kernel-facing twins (struct_ops, CO-RE) include vmlinux.h: generated from the running kernel's BTF,
# never committed (large and machine-specific).
if grep -lq '"vmlinux.h"' "$here"/twins/*.c; then
  bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$out/vmlinux.h"
fi
for src in "$here"/twins/*.c; do
  clang-22 -O2 -g -target bpf -mcpu=v3 ${multiarch:+-I"$multiarch"} -I"$here/twins" -I"$out" -c "$src" -o "$out/$(basename "${src%.c}").o"
done

project="$here/CSharpBpf.CompilerComparison/CSharpBpf.CompilerComparison.csproj"
dotnet build "$project" -v q -nologo >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
dotnet run --project "$project" --no-build -- --twins "$out" "$@"
