#!/usr/bin/env bash
# Regenerates CSharpBpf.Kernel from the running kernel's BTF (csbpf btf --csharp).
# Two files on purpose:
#  - Uapi.g.cs: program context types (include/uapi/linux/bpf.h). Their layout is ABI and the
#    verifier rewrites context accesses itself, so they carry no CO-RE mark.
#  - Kernel.g.cs: kernel-internal types marked [KernelType("name")]: every field access through a
#    pointer to them gets a BTF.ext CO-RE field-offset relocation (like clang's preserve_access_index).
# Usage: runtime/CSharpBpf/Kernel/regenerate.sh [path/to/vmlinux-btf]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
btf="${1:-/sys/kernel/btf/vmlinux}"
cli=(dotnet run --project "$root/runtime/CSharpBpf.Cli" --)
if [ -n "${CSBPF:-}" ]; then read -ra cli <<< "$CSBPF"; fi

uapi=xdp_md,__sk_buff,bpf_sock,bpf_sock_ops,bpf_sysctl,bpf_sockopt,bpf_raw_tracepoint_args,bpf_sock_tuple
uapi_consts=BPF_SOCK_OPS_TIMEOUT_INIT,BPF_SOCK_OPS_STATE_CB_FLAG,BPF_F_NO_PREALLOC,BPF_LOCAL_STORAGE_GET_F_CREATE
kernel=ack_sample,sock,sock_common,inet_sock,inet_connection_sock,tcp_sock,rate_sample,tcp_congestion_ops,sk_buff
kernel_consts=TCP_ESTABLISHED,tcp_ca_state,tcp_ca_event

# [FieldOffset]/[StructLayout(Size)] are pseudo-attributes a compiler cannot read back through a
# reference, so the layout is repeated in attributes: [KernelOffset(n)] per field, Size = n on the mark,
# [KernelBitfield(bit, width)] on bitfield accessors (property bodies are not visible either).
with_layout() {
    awk '
        /\[StructLayout\(LayoutKind.Explicit, Size = [0-9]+\)\]/ { match($0, /Size = [0-9]+/); size = substr($0, RSTART + 7, RLENGTH - 7) }
        /^\[CSharpBpf\.Kernel\.(KernelType|UapiType)\("[^"]*"\)\]$/ { sub(/\)\]$/, ", Size = " size ")]") }
        { print }
        /\/\/\/ <summary>Bitfield .*:[0-9]+ at bit [0-9]+ / {
            match($0, /:[0-9]+ at bit [0-9]+/); spec = substr($0, RSTART + 1, RLENGTH - 1)
            split(spec, parts, " "); print "    [KernelBitfield(" parts[4] ", " parts[1] ")]"
        }' | sed -E 's/\[FieldOffset\(([0-9]+)\)\]/[FieldOffset(\1), KernelOffset(\1)]/g'
}
"${cli[@]}" btf "$btf" --csharp --types "$uapi,$uapi_consts" --namespace CSharpBpf.Kernel \
    --attribute CSharpBpf.Kernel.UapiType | with_layout > "$here/Generated/Uapi.g.cs"
"${cli[@]}" btf "$btf" --csharp --types "$kernel,$kernel_consts" --namespace CSharpBpf.Kernel \
    --attribute CSharpBpf.Kernel.KernelType | with_layout > "$here/Generated/Kernel.g.cs"
