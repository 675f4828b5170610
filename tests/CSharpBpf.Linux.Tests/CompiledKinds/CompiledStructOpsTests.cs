using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.StructOps;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests.CompiledKinds;

/// <summary>The C# Reno (tests/fixtures/kernelkinds/CsReno.cs) compiled by CSharpBpf, registered in this kernel.</summary>
[Collection("kernel")]
public sealed class CompiledStructOpsTests
{
    private const int Init = 0, Ssthresh = 1, CongAvoid = 2, Undo = 3, SetState = 4, CwndEvent = 5, PktsAcked = 6, OpenAtInit = 7;
    private readonly ITestOutputHelper _out;

    public CompiledStructOpsTests(ITestOutputHelper output) => _out = output;

    [SkippableFact]
    public void CSharp_reno_registers_carries_a_loopback_transfer_and_unregisters()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using var obj = BpfObject.Load(KernelKindFixtures.Object("CsReno.bpf.o"));
        var cc = obj.StructOps["csreno"];
        CongestionControl.RegisterAndTransfer(cc, "csreno", 16L << 20, registered: _ =>
        {
            Assert.Equal(StructOpsState.InUse, cc.State);
            var ids = cc.ProgramIds();
            Assert.Equal(obj.Program("cong_avoid").Id, ids["cong_avoid"]);
            Assert.Equal(obj.Program("undo_cwnd").Id, ids["undo_cwnd"]);
        }, afterTransfer: () =>
        {
            var calls = obj.Map("Calls");
            ulong Count(int slot) { Assert.True(calls.TryLookup(slot, out ulong v)); return v; }
            _out.WriteLine($"init {Count(Init)} ssthresh {Count(Ssthresh)} cong_avoid {Count(CongAvoid)} undo {Count(Undo)} " +
                           $"set_state {Count(SetState)} cwnd_event {Count(CwndEvent)} pkts_acked {Count(PktsAcked)}");
            Assert.True(Count(Init) >= 1, "init never ran");
            Assert.True(Count(CongAvoid) >= 1, "cong_avoid never ran");
            Assert.True(Count(PktsAcked) >= 1, "pkts_acked never ran");
            // init read the icsk_ca_state bitfield (CO-RE) and found TCP_CA_Open
            Assert.True(Count(OpenAtInit) >= 1, "init never saw icsk_ca_state == TCP_CA_Open");
        });
    }

    [SkippableFact]
    public void Bpftool_struct_ops_register_accepts_the_compiled_object()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        var probe = KernelKindFixtures.Bpftool("version");
        Skip.If(probe is null, "bpftool is not installed");
        Assert.DoesNotContain("csreno", CongestionControl.Available());
        try
        {
            var (exit, output) = KernelKindFixtures.Bpftool("struct_ops", "register", KernelKindFixtures.Object("CsReno.bpf.o"))!.Value;
            _out.WriteLine(output);
            Assert.True(exit == 0, output);
            Assert.Contains("Registered tcp_congestion_ops csreno", output);
            Assert.Contains("csreno", CongestionControl.Available());
        }
        finally
        {
            KernelKindFixtures.Bpftool("struct_ops", "unregister", "name", "csreno");
        }
        Assert.DoesNotContain("csreno", CongestionControl.Available());
    }
}

/// <summary>The .struct_ops.link variant (tests/fixtures/kernelkinds/CsRenoLink.cs): registered through a BPF link.</summary>
[Collection("kernel")]
public sealed class CompiledStructOpsLinkTests
{
    [SkippableFact]
    public void CSharp_struct_ops_link_registers_through_a_bpf_link_and_carries_a_transfer()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using var obj = BpfObject.Load(KernelKindFixtures.Object("CsRenoLink.bpf.o"));
        var cc = obj.StructOps["csreno_lnk"];
        Assert.True(cc.ViaLink);
        CongestionControl.RegisterAndTransfer(cc, "csreno_lnk", 4L << 20, registered: r => Assert.NotNull(r.Link));
    }
}
