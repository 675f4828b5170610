using System;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// The shared raw bpf(2) helper (CSharpBpf.TestSupport.RawBpf) against the kernel, for the parts no layer
/// test happens to use: map update/delete, typed errors with the verifier log, context in and out of
/// PROG_TEST_RUN, and the log of an accepted program. The layer tests rely on it, so it is tested too.
/// </summary>
public class RawBpfHelperTests
{
    private const int SkBuffSize = 192; // sizeof(struct __sk_buff) in the running kernel's BTF
    private const int SkBuffMark = 8;   // offsetof(struct __sk_buff, mark)

    [SkippableFact]
    public void Map_elements_are_created_read_refused_twice_and_deleted()
    {
        KernelSkip.UnlessBpfAllowed();
        using var map = BpfSyscall.MapCreate(MapTypes.Hash, keySize: 4, valueSize: 8, maxEntries: 4, name: "csbpf_raw_test");
        byte[] key = BitConverter.GetBytes(7u);
        var value = new byte[8];
        Assert.False(BpfSyscall.TryMapLookup(map, key, value));

        BpfSyscall.MapUpdate(map, key, BitConverter.GetBytes(0x1122334455667788UL));
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(BpfSyscall.MapLookup(map, key, 8)));

        const ulong BpfNoExist = 1;
        var twice = Assert.Throws<BpfSyscallException>(() => BpfSyscall.MapUpdate(map, key, new byte[8], BpfNoExist));
        Assert.Equal((BpfCommand.BPF_MAP_UPDATE_ELEM, BpfErrno.EEXIST), (twice.Command, twice.Errno));

        Assert.True(BpfSyscall.MapDelete(map, key));
        Assert.False(BpfSyscall.MapDelete(map, key));
        var missing = Assert.Throws<BpfSyscallException>(() => BpfSyscall.MapLookup(map, key, 8));
        Assert.Equal(BpfErrno.ENOENT, missing.Errno);
    }

    [SkippableFact]
    public void A_refused_program_throws_the_errno_by_name_with_the_verifier_log()
    {
        KernelSkip.UnlessBpfAllowed();
        var request = new ProgLoadRequest(ProgTypes.Xdp, InstructionCodec.Encode(new[] { Exit() })) { Name = "csbpf_refused" };
        var e = Assert.Throws<BpfSyscallException>(() => BpfSyscall.ProgLoad(request));
        Assert.Equal((BpfCommand.BPF_PROG_LOAD, BpfErrno.EACCES), (e.Command, e.Errno));
        Assert.Contains("R0 !read_ok", e.Log); // exit with r0 never written
        Assert.Contains("EACCES", e.Message);
        Assert.Contains("csbpf_refused", e.Message);
    }

    [SkippableFact]
    public void An_accepted_program_keeps_its_log_when_asked_always()
    {
        KernelSkip.UnlessBpfAllowed();
        var code = InstructionCodec.Encode(new[] { Mov64Imm(R0, 2), Exit() });
        using var quiet = BpfSyscall.TryProgLoad(new ProgLoadRequest(ProgTypes.Xdp, code));
        using var logged = BpfSyscall.TryProgLoad(new ProgLoadRequest(ProgTypes.Xdp, code) { Log = KernelLog.Always });
        Assert.True(quiet.Succeeded && logged.Succeeded);
        Assert.Equal("", quiet.Log);
        Assert.Contains("processed 2 insns", logged.Log);
    }

    [SkippableFact]
    public void Test_run_takes_a_context_in_and_gives_the_changed_one_back()
    {
        KernelSkip.UnlessBpfAllowed();
        // tc program: skb->mark += 1; return TC_ACT_OK.
        var code = InstructionCodec.Encode(new[]
        {
            Ldx(MemSize.W, R2, R1, SkBuffMark), Alu64Imm(AluOp.Add, R2, 1), Stx(MemSize.W, R1, R2, SkBuffMark),
            Mov64Imm(R0, 0), Exit(),
        });
        using var prog = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.SchedCls, code));
        var ctx = new byte[SkBuffSize];
        BitConverter.TryWriteBytes(ctx.AsSpan(SkBuffMark), 41u);
        var packet = new byte[64];
        packet[12] = 0x08; // IPv4 ethertype: the kernel builds the skb as for a received frame

        var run = BpfSyscall.TestRun(prog, new TestRunRequest { DataIn = packet, CtxIn = ctx, CtxOutSize = SkBuffSize, Repeat = 3 });

        Assert.Equal(0u, run.Retval);
        Assert.Equal(packet, run.DataOut);
        Assert.Equal(SkBuffSize, run.CtxOut.Length);
        Assert.Equal(41u + 3, BitConverter.ToUInt32(run.CtxOut, SkBuffMark)); // the repeats share one skb: each adds 1
    }

    [SkippableFact]
    public void A_released_fd_stays_open_after_its_handle_is_disposed()
    {
        KernelSkip.UnlessBpfAllowed();
        var map = BpfSyscall.MapCreate(MapTypes.Array, 4, 4, 1);
        Assert.True(IsBpfMap(map.Value));
        int raw = map.ReleaseOwnership();
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => map.Value);
        using var owner = new RawBpfFd(raw); // closes it at the end of the test
        Assert.True(IsBpfMap(raw), "the released fd was closed");
        // (That Dispose closes an owned fd is not checked through /proc: tests running in parallel reuse fd numbers.)
    }

    private static bool IsBpfMap(int fd)
    {
        try
        {
            return System.IO.File.ResolveLinkTarget($"/proc/self/fd/{fd}", returnFinalTarget: false)?.FullName.Contains("bpf-map") == true;
        }
        catch (System.IO.IOException)
        {
            return false;
        }
    }
}
