using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using CSharpBpf.Linux.Loader;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// Kernel loader cost (needs root and BPF): parsing an object, and a full load + dispose
/// (BTF load, maps, programs through the verifier). Run: dotnet run -c Release -- --filter *KernelLoad*
/// </summary>
[MemoryDiagnoser]
public class KernelLoadBenchmarks
{
    private string _xdp = "", _cc = "";
    private ObjectSpec? _xdpSpec, _ccSpec;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln"))) dir = dir.Parent;
        string fixtures = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("CSharpBpf.sln not found"), "tests", "fixtures", "linux");
        _xdp = Path.Combine(fixtures, "xdp_redirect.bpf.o");
        _cc = Path.Combine(fixtures, "cc_counting.bpf.o");
        _xdpSpec = ObjectSpec.Read(_xdp);
        _ccSpec = ObjectSpec.Read(_cc);
        using (BpfObject.Load(_ccSpec)) { } // warm the kernel BTF cache
    }

    [Benchmark]
    public ObjectSpec ReadObject() => ObjectSpec.Read(_cc);

    [Benchmark]
    public void LoadAndDisposeXdpObject()
    {
        using var obj = BpfObject.Load(_xdpSpec!);
    }

    [Benchmark]
    public void LoadAndDisposeCongestionControl()
    {
        using var obj = BpfObject.Load(_ccSpec!);
    }
}
