using System;
using System.Collections.Generic;
using System.IO;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport.RawBpf;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// A tcp_congestion_ops "init" program storing <c>size</c> bytes at byte <c>offset</c> of its struct sock * argument
/// (promoted to tcp_sock), checked by the managed verifier and by the kernel (struct_ops PROG_LOAD with
/// attach_btf_id = tcp_congestion_ops in vmlinux, expected_attach_type = the init member's index). Offsets come from
/// the running kernel's BTF (/sys/kernel/btf/vmlinux), which the managed verifier also gets as the program's BTF.
/// </summary>
internal static class TcpCaWrites
{
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";
    private static Btf? _vmlinux;

    public static bool HaveVmlinux => File.Exists(VmlinuxPath);

    public static Btf Vmlinux => _vmlinux ??= BtfReader.Read(File.ReadAllBytes(VmlinuxPath));

    public static BtfStruct TcpSock => Vmlinux.Find<BtfStruct>("tcp_sock")!;

    /// <summary>Byte offset of a member inside tcp_sock, by a path of member names from tcp_sock.</summary>
    public static int OffsetOf(params string[] path)
    {
        BtfComposite s = TcpSock;
        long off = 0;
        for (int i = 0; i < path.Length; i++)
        {
            var m = s.FindMember(path[i]) ?? throw new InvalidOperationException($"tcp_sock has no {string.Join(".", path)}");
            off += m.ByteOffset;
            if (i < path.Length - 1) s = (BtfComposite)Vmlinux.ResolveModifiers(m.TypeId);
        }
        return (int)off;
    }

    /// <summary>r1 = sk; *(size *)(r1 + offset) = 1 (through a loaded pointer member when <paramref name="via"/> is set); exit.</summary>
    public static Instruction[] Program(int offset, MemSize size, int via = -1)
    {
        var code = new List<Instruction> { Insns.Ldx(MemSize.DW, 1, 1, 0) };
        if (via >= 0) code.Add(Insns.Ldx(MemSize.DW, 1, 1, via));
        code.Add(Insns.Mov64Imm(2, 1));
        code.Add(Insns.Stx(size, 1, 2, offset));
        code.Add(Insns.Mov64Imm(0, 0));
        code.Add(Insns.Exit());
        return code.ToArray();
    }

    public static VerifierProgramSpec Spec() => new(VerifierProgramType.StructOps)
    {
        Name = "tcp_ca_init",
        Btf = Vmlinux,
        Arguments = new[] { new ContextArgument("sk", true, TcpSock.Id, "tcp_sock", (int)TcpSock.Size) },
        AllowBtfStores = true,
        StructOpsType = "tcp_congestion_ops",
    };

    public static KernelLoader.LoadOutcome KernelLoad(Instruction[] program, KernelLog log = KernelLog.Always)
    {
        var ops = Vmlinux.Find<BtfStruct>("tcp_congestion_ops")!;
        int init = ops.Members.FindIndex(m => m.Name == "init");
        var request = new ProgLoadRequest(27 /* BPF_PROG_TYPE_STRUCT_OPS */, InstructionCodec.Encode(program))
        {
            ExpectedAttachType = (uint)init,
            AttachBtfId = ops.Id,
            Log = log,
        };
        using var result = BpfSyscall.TryProgLoad(request);
        return new KernelLoader.LoadOutcome(result.Succeeded, result.Errno, result.Log);
    }
}
