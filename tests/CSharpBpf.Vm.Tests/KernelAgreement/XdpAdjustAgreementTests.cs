using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.KernelAgreement;

/// <summary>
/// bpf_xdp_adjust_head (44) and bpf_xdp_adjust_tail (65): the VM (both engines) moves the packet within the frame
/// where the kernel does and refuses (-EINVAL) where the kernel does, and the bytes seen after the run are the
/// adjusted frame's. The VM-only tests pin the limits; the kernel tests compare every case with BPF_PROG_TEST_RUN.
/// </summary>
public sealed class XdpAdjustAgreementTests
{
    private const int Head = 44, Tail = 65;

    /// <summary>
    /// Reads byte 12 (before the call), calls <paramref name="helper"/>(ctx, delta), reloads data/data_end, and when
    /// 4 bytes fit writes the old byte, 0xab and 0xcdef at the new start; returns 2 - helper result (2 = ok, 24 = -EINVAL).
    /// The reload after the call is what a verified program must do (old packet pointers are invalid).
    /// </summary>
    public static Instruction[] AdjustAndWrite(int helper, int delta) =>
    [
        Mov64Reg(R6, R1),
        Ldx(MemSize.W, R2, R6, 0), Ldx(MemSize.W, R3, R6, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 14), Jmp(JmpOp.Jgt, R4, R3, 16),
        Ldx(MemSize.B, R8, R2, 12),
        Mov64Reg(R1, R6), Mov64Imm(R2, delta), CallHelper(helper),
        Mov64Reg(R7, R0),
        Ldx(MemSize.W, R2, R6, 0), Ldx(MemSize.W, R3, R6, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 4), Jmp(JmpOp.Jgt, R4, R3, 3),
        Stx(MemSize.B, R2, R8, 0), St(MemSize.B, R2, 1, 0xab), St(MemSize.H, R2, 2, 0xcdef),
        Mov64Imm(R0, 2), Alu64Reg(AluOp.Sub, R0, R7), Exit(),
        Mov64Imm(R0, 0), Exit(),
    ];

    private static byte[] Packet(int length)
    {
        var p = new byte[length];
        new Random(length).NextBytes(p);
        return p;
    }

    /// <summary>(helper, delta, packet length): each side of each limit, for a runt, a small and a full-size frame.</summary>
    public static IEnumerable<object[]> Cases()
    {
        foreach (int len in new[] { 14, 60, 1500 })
        {
            // head: data may go down to the end of struct xdp_frame (40 bytes into the frame) and up to data_end - 14
            foreach (int d in new[] { -4, -216, -217, -256, 4, len - 14, len - 13 })
                yield return new object[] { Head, d, len };
            // tail: data_end may go down to data + 14 and up to 4096 - 320 bytes into the frame
            int room = XdpContext.FrameSize - XdpContext.SharedInfoReserve - XdpContext.Headroom - len;
            foreach (int d in new[] { -4, -(len - 14), -(len - 13), 100, room, room + 1 })
                yield return new object[] { Tail, d, len };
        }
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Head_push_prepends_four_bytes_and_keeps_the_rest(ExecutionEngine engine)
    {
        var packet = Packet(60);
        using var host = new BpfTestHost(engine);
        var r = host.RunXdp(host.Load(AdjustAndWrite(Head, -4), ProgramType.Xdp), (byte[])packet.Clone());
        Assert.Equal(2UL, r.ReturnValue);
        Assert.Equal(64, r.Packet.Length);
        Assert.Equal(new byte[] { packet[12], 0xab, 0xef, 0xcd }, r.Packet[..4]);
        Assert.Equal(packet, r.Packet[4..]);
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Tail_grow_adds_zero_bytes_and_trim_cuts(ExecutionEngine engine)
    {
        var packet = Packet(60);
        using var host = new BpfTestHost(engine);
        var grown = host.RunXdp(host.Load(AdjustAndWrite(Tail, 100), ProgramType.Xdp), (byte[])packet.Clone());
        Assert.Equal(2UL, grown.ReturnValue);
        Assert.Equal(160, grown.Packet.Length);
        Assert.Equal(packet[4..], grown.Packet[4..60]);
        Assert.All(grown.Packet[60..], b => Assert.Equal(0, b));
        var trimmed = host.RunXdp(host.Load(AdjustAndWrite(Tail, -46), ProgramType.Xdp), (byte[])packet.Clone());
        Assert.Equal(2UL, trimmed.ReturnValue);
        Assert.Equal(packet[4..14], trimmed.Packet[4..]);
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Out_of_frame_adjustments_are_einval_and_leave_the_packet(ExecutionEngine engine)
    {
        var packet = Packet(60);
        using var host = new BpfTestHost(engine);
        foreach (var (helper, delta) in new[] { (Head, -217), (Head, 47), (Tail, -47), (Tail, 3461) })
        {
            var r = host.RunXdp(host.Load(AdjustAndWrite(helper, delta), ProgramType.Xdp), (byte[])packet.Clone());
            Assert.Equal(24UL, r.ReturnValue); // 2 - (-EINVAL)
            Assert.Equal(packet[4..], r.Packet[4..]);
            Assert.Equal(60, r.Packet.Length);
        }
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void A_packet_pointer_kept_across_adjust_head_faults(ExecutionEngine engine)
    {
        // Unverified: stores through the data pointer loaded before the call. The kernel's verifier refuses this;
        // the VM gives the moved packet a new region so the stale pointer cannot silently hit the wrong bytes.
        Instruction[] program =
        [
            Mov64Reg(R6, R1), Ldx(MemSize.W, R9, R6, 0),
            Mov64Reg(R1, R6), Mov64Imm(R2, -4), CallHelper(Head),
            St(MemSize.B, R9, 0, 1),
            Mov64Imm(R0, 2), Exit(),
        ];
        using var host = new BpfTestHost(engine);
        var e = Assert.Throws<BpfVmException>(() => host.RunXdp(host.Load(program, ProgramType.Xdp), Packet(60)));
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Vm_matches_prog_test_run(int helper, int delta, int length)
    {
        KernelSkip.UnlessBpfAllowed();
        var program = AdjustAndWrite(helper, delta);
        using var kernelProg = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.Xdp, InstructionCodec.Encode(program)) { Name = "csbpf_xdp_adj" });
        var packet = Packet(length);
        var kernel = BpfSyscall.TestRun(kernelProg, new TestRunRequest { DataIn = packet, DataOutSize = 4096 });
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var host = new BpfTestHost(engine);
            var r = host.RunXdp(host.Load(program, ProgramType.Xdp), (byte[])packet.Clone());
            Assert.True(kernel.Retval == (uint)r.ReturnValue, $"helper {helper}({delta}) on {length} bytes, {engine}: kernel {kernel.Retval}, VM {(uint)r.ReturnValue}");
            Assert.Equal(kernel.DataOut, r.Packet);
        }
    }
}
