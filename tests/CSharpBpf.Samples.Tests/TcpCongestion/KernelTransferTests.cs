using System.IO;
using System.Linq;
using CSharpBpf.Linux.Loader;
using CSharpBpf.TestSupport;
using TcpCongestion.Kernel;
using Xunit;

namespace CSharpBpf.Samples.Tests.TcpCongestion;

/// <summary>The kernel half of the sample with the clang-built Reno fixture: register, transfer, read back, unregister.</summary>
public sealed class KernelTransferTests
{
    [SkippableFact]
    public void A_loopback_transfer_runs_the_registered_struct_ops_and_counts_its_callbacks()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using var obj = BpfObject.Load(RepoPaths.Fixture(Path.Combine("linux", "cc_counting.bpf.o")));
        TransferResult result;
        using (obj.StructOps["csbpf_cc"].Register())
            result = LoopbackTransfer.Run("csbpf_cc", 8 << 20);
        Assert.Equal("csbpf_cc", result.Algorithm);
        Assert.Equal(8L << 20, result.Bytes);
        var calls = obj.Map("calls");
        ulong Count(uint slot) => calls.TryLookup<uint, ulong>(slot, out var v) ? v : 0;
        Assert.True(Count(0) >= 1, "init");          // once per connection using it
        Assert.True(Count(2) > 0, "cong_avoid");
        // No loss on loopback: slow start was never ended by ssthresh().
        Assert.True(result.MaxCwnd > result.FirstCwnd);
    }
}
