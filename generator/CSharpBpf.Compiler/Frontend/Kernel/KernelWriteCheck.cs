using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend.Kernel;

/// <summary>
/// BPF2103: writes through pointers to kernel types. The verifier refuses them except where a
/// program kind's btf_struct_access allows: tcp_congestion_ops struct_ops may write the fields
/// net/ipv4/bpf_tcp_ca.c lists (cwnd/ssthresh state, pacing, ECN flags, the CA private area, and of
/// icsk_ack only its one-byte 'pending'). Checked against Linux 6.18's bpf_tcp_ca_btf_struct_access and
/// against the running kernel (tests/CSharpBpf.Compiler.Tests/KernelKinds/TcpCaWritableFieldsKernelTests.cs).
/// Every other kernel field, and every kernel field in other program kinds, is read-only.
/// </summary>
internal static class KernelWriteCheck
{
    private const string CongestionOps = "tcp_congestion_ops";

    private static readonly HashSet<(string Type, string Field)> CongestionControlWritable = new()
    {
        ("sock", "sk_pacing_rate"), ("sock", "sk_pacing_status"),
        // Not the whole icsk_ack struct: the kernel's case is offsetof(icsk_ack.pending) with its 1-byte end.
        ("inet_connection_sock", "icsk_ca_priv"), ("inet_connection_sock", "icsk_ack.pending"),
        ("tcp_sock", "snd_cwnd"), ("tcp_sock", "snd_cwnd_cnt"), ("tcp_sock", "snd_cwnd_stamp"),
        ("tcp_sock", "snd_ssthresh"), ("tcp_sock", "ecn_flags"), ("tcp_sock", "app_limited"),
    };

    // BPF2105. Decision (Linux 6.18, checked with bpftool on /sys/kernel/btf/vmlinux): none of the fields
    // bpf_tcp_ca_btf_struct_access lets a program write is a bitfield (snd_cwnd, snd_ssthresh, app_limited: u32;
    // ecn_flags, icsk_ack.pending: u8; sk_pacing_*: whole words), and no other program kind may write kernel
    // memory at all, so a read-modify-write with CO-RE bitfield relocations could never load: refuse it here.
    private const string BitfieldThroughPointer =
        "the kernel lets no BPF program write a bitfield of a kernel struct (the fields tcp_congestion_ops may write are all whole fields)";
    private const string BitfieldOfCopy =
        "bitfields of a kernel struct are read-only in CSharpBpf, also in a copy on the stack (read the value into a local of your own instead)";

    public static void Check(INamedTypeSymbol type, string? structOpsType, Compilation compilation, List<DiagnosticInfo> diags)
    {
        bool congestion = structOpsType == CongestionOps;
        string allowed = congestion
            ? string.Join(", ", CongestionControlWritable.Select(w => w.Type + "." + w.Field))
            : "no kernel field";
        string who = congestion ? "tcp_congestion_ops programs" : "this program kind";
        foreach (var m in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (m.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax decl) continue;
            if (decl.Body is null && decl.ExpressionBody is null) continue;
            var body = compilation.GetSemanticModel(decl.SyntaxTree).GetOperation(decl);
            if (body is null) continue;
            foreach (var op in body.Descendants())
            {
                var target = op switch
                {
                    IAssignmentOperation a => a.Target,
                    IIncrementOrDecrementOperation inc => inc.Target,
                    _ => null,
                };
                while (target is IParenthesizedOperation p) target = p.Operand;
                var (owner, field) = target switch
                {
                    IFieldReferenceOperation f => (f.Field.ContainingType, f.Field.Name),
                    IPropertyReferenceOperation pr => (pr.Property.ContainingType, pr.Property.Name),
                    _ => ((INamedTypeSymbol?)null, ""),
                };
                if (owner is null || KernelTypeLayout.BtfNameOf(owner) is not { } kernelName) continue;
                (kernelName, field) = NamedOwner(target!, kernelName, field);
                if (target is IPropertyReferenceOperation bp && KernelTypeLayout.Bitfield(bp.Property) is var (bit, width))
                {
                    diags.Add(DiagnosticInfo.Create(BpfDiagnostics.KernelBitfieldWrite, op.Syntax.GetLocation(), kernelName, field, width, bit,
                        ThroughPointer(target) ? BitfieldThroughPointer : BitfieldOfCopy));
                    continue;
                }
                if (!ThroughPointer(target!)) continue; // a stack copy of a kernel struct is the program's own memory
                if (congestion && CongestionControlWritable.Contains((kernelName, field))) continue;
                diags.Add(DiagnosticInfo.Create(BpfDiagnostics.KernelFieldNotWritable, op.Syntax.GetLocation(), kernelName, field, who, allowed));
            }
        }
    }

    /// <summary>
    /// A field of an anonymous kernel struct (BTF name "") is named through the field that holds it:
    /// icsk->icsk_ack.pending is (inet_connection_sock, "icsk_ack.pending"), as the kernel's list names it.
    /// </summary>
    private static (string Type, string Field) NamedOwner(IOperation target, string kernelName, string field)
    {
        if (kernelName.Length != 0) return (kernelName, field);
        var holder = target switch
        {
            IFieldReferenceOperation f => f.Instance,
            IPropertyReferenceOperation p => p.Instance,
            _ => null,
        };
        while (holder is IParenthesizedOperation par) holder = par.Operand;
        if (holder is IFieldReferenceOperation h && KernelTypeLayout.BtfNameOf(h.Field.ContainingType) is { Length: > 0 } outer)
            return (outer, h.Field.Name + "." + field);
        return (kernelName, field);
    }

    /// <summary>True when the field chain starts at a pointer dereference (p->a.b), not at a local struct.</summary>
    private static bool ThroughPointer(IOperation target)
    {
        var cur = target switch
        {
            IFieldReferenceOperation f => f.Instance,
            IPropertyReferenceOperation p => p.Instance,
            _ => null,
        };
        while (cur is not null)
        {
            switch (cur)
            {
                case IParenthesizedOperation par: cur = par.Operand; break;
                case IFieldReferenceOperation f: cur = f.Instance; break;
                case { Kind: OperationKind.None } n: return n.ChildOperations.Count == 1 && n.ChildOperations.First().Type is IPointerTypeSymbol;
                default: return false;
            }
        }
        return false;
    }
}
