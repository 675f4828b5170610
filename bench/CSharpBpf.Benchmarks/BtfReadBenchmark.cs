using System.IO;
using BenchmarkDotNet.Attributes;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// Reading the running kernel's whole BTF (/sys/kernel/btf/vmlinux, ~160k types here): the
/// reader validates everything (kinds, bounds, string offsets, type ids, cycles) and builds
/// the type objects, leaving names undecoded until asked. Target: under 200 ms.
/// </summary>
[MemoryDiagnoser]
public class BtfReadBenchmark
{
    private byte[] _vmlinux = System.Array.Empty<byte>();
    private Btf _read = new();

    [GlobalSetup]
    public void Setup()
    {
        string path = System.Environment.GetEnvironmentVariable("CSHARPBPF_BTF") ?? "/sys/kernel/btf/vmlinux";
        _vmlinux = File.ReadAllBytes(path);
        _read = BtfReader.Read(_vmlinux);
    }

    /// <summary>Parse and validate the whole file.</summary>
    [Benchmark(Baseline = true)]
    public Btf ReadVmlinux() => BtfReader.Read(_vmlinux);

    /// <summary>Parse, then one lookup by name (which builds the name index: every type name decoded).</summary>
    [Benchmark]
    public BtfType? ReadAndFindTcpCongestionOps() => BtfReader.Read(_vmlinux).Find("tcp_congestion_ops", BtfKind.Struct);

    /// <summary>Write the already-read vmlinux BTF back (string table deduplicated).</summary>
    [Benchmark]
    public byte[] WriteVmlinux() => BtfWriter.Write(_read);
}
