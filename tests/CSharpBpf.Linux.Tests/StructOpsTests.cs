using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.StructOps;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class StructOpsTests
{
    private const int CallInit = 0, CallSsthresh = 1, CallCongAvoid = 2, CallUndo = 3;
    private readonly ITestOutputHelper _out;

    public StructOpsTests(ITestOutputHelper output) => _out = output;

    [SkippableFact]
    public void Congestion_control_registers_runs_on_a_loopback_transfer_and_unregisters()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using var obj = BpfObject.Load(Fixtures.Linux("cc_counting.bpf.o"));
        var cc = obj.StructOps["csbpf_cc"];
        Assert.Equal(StructOpsState.Init, cc.State);
        CongestionControl.RegisterAndTransfer(cc, "csbpf_cc", 16L << 20, registered: _ =>
        {
            Assert.Equal(StructOpsState.InUse, cc.State);
            var ids = cc.ProgramIds();
            Assert.Equal(obj.Program("cc_init").Id, ids["init"]);
            Assert.Equal(obj.Program("cc_cong_avoid").Id, ids["cong_avoid"]);
        }, afterTransfer: () =>
        {
            var calls = obj.Map("calls");
            ulong Count(int slot) { Assert.True(calls.TryLookup(slot, out ulong v)); return v; }
            _out.WriteLine($"init {Count(CallInit)} ssthresh {Count(CallSsthresh)} cong_avoid {Count(CallCongAvoid)} undo {Count(CallUndo)}");
            Assert.True(Count(CallInit) >= 1, "init never ran");
            Assert.True(Count(CallCongAvoid) >= 1, "cong_avoid never ran");
        });
        Assert.Equal(StructOpsState.ToBeFree, cc.State);
    }

    [SkippableFact]
    public void Struct_ops_link_map_registers_through_a_bpf_link()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using var obj = BpfObject.Load(Fixtures.Linux("cc_link.bpf.o"));
        var cc = obj.StructOps["csbpf_lnk"];
        Assert.True(cc.ViaLink);
        CongestionControl.RegisterAndTransfer(cc, "csbpf_lnk", 1L << 20, registered: r =>
        {
            Assert.NotNull(r.Link);
            Assert.True(r.Link!.Id > 0);
        });
    }

    [SkippableFact]
    public void Disposing_the_object_unregisters_what_it_registered()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using (var obj = BpfObject.Load(Fixtures.Linux("cc_counting.bpf.o")))
        {
            obj.RegisterStructOps();
            Assert.Contains("csbpf_cc", CongestionControl.Available());
        }
        Assert.DoesNotContain("csbpf_cc", CongestionControl.Available());
    }
}
