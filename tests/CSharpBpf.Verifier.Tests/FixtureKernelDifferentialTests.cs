using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// The fixture programs, linked exactly as the managed verifier sees them, loaded into the kernel with raw
/// bpf(2): both verifiers must give the same verdict. Limited to program types and maps a bare PROG_LOAD can
/// express (no BTF-only maps such as sk_storage, no map-in-map, no attach BTF).
/// </summary>
public class FixtureKernelDifferentialTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FixtureKernelDifferentialTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    private static readonly HashSet<VerifierProgramType> BareLoadable = new()
    {
        VerifierProgramType.Xdp, VerifierProgramType.SocketFilter, VerifierProgramType.CgroupSkb, VerifierProgramType.SchedCls,
        VerifierProgramType.SockOps, VerifierProgramType.CgroupSysctl, VerifierProgramType.CgroupSockopt,
    };

    private static readonly HashSet<BpfMapType> BareMaps = new()
    {
        BpfMapType.Hash, BpfMapType.Array, BpfMapType.PercpuArray, BpfMapType.PercpuHash, BpfMapType.LruHash,
        BpfMapType.Ringbuf, BpfMapType.DevmapHash, BpfMapType.ProgArray,
    };

    public static IEnumerable<object[]> Programs()
    {
        foreach (var row in FixtureAcceptanceTests.Objects().Append(new object[] { "linux/verifier_reject.bpf.o" }))
        {
            string fixture = (string)row[0];
            var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture(fixture)));
            foreach (var fn in obj.Programs)
            {
                var linked = BpfVerifier.Link(obj, fn);
                if (linked == null || !BareLoadable.Contains(linked.Spec.ProgramType)) continue;
                if (linked.Spec.Maps.Values.Any(m => !BareMaps.Contains(m.Type))) continue;
                yield return new object[] { fixture, fn.Name };
            }
        }
    }

    [Fact]
    public void The_differential_covers_several_program_types()
    {
        var rows = Programs().ToList();
        Assert.True(rows.Count >= 8, $"only {rows.Count} fixture programs are bare-loadable");
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Kernel_and_managed_verifier_agree(string fixture, string program)
    {
        KernelSkip.UnlessBpfAllowed();
        var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture(fixture)));
        var linked = BpfVerifier.Link(obj, obj.FindFunction(program)!)!;
        var ours = BpfVerifier.Verify(linked.Instructions, linked.Spec);
        var kernel = KernelLoader.Load(linked.Instructions, linked.Spec);
        var processed = System.Text.RegularExpressions.Regex.Match(kernel.Log, @"processed (\d+) insns");
        _output.WriteLine($"STATS {fixture}/{program}: managed processed {ours.Statistics.ProcessedInstructions}, " +
                          $"kernel processed {(processed.Success ? processed.Groups[1].Value : "?")}");
        Assert.True(ours.IsAccepted == kernel.Accepted,
            $"{fixture}/{program}: managed {(ours.IsAccepted ? "accepts" : "rejects: " + ours.Errors[0])}, kernel {(kernel.Accepted ? "accepts" : $"rejects (errno {kernel.Errno}):\n{kernel.Log}")}");
    }
}
