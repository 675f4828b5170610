#!/usr/bin/env bash
# Rebuilds the disassembler's own test objects (committed; tests never need clang) and the
# llvm-objdump-22 texts they are compared against (tests re-run llvm-objdump live when installed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
clang-22 -target bpf -mcpu=v4 -c forms.s -o forms.o
clang-22 -target bpf -mcpu=v4 -c labels.s -o labels.o
clang-22 -target bpfeb -mcpu=v4 -c forms.s -o forms.be.o
clang-22 -O2 -g -target bpf -mcpu=v4 -ffile-prefix-map="$here"=. -c isa_v4.bpf.c -o isa_v4.bpf.o
echo "built forms.o forms.be.o labels.o isa_v4.bpf.o"
