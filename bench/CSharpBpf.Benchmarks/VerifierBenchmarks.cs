using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using CSharpBpf.Object.Objects;
using CSharpBpf.Verifier;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// The managed verifier on whole clang objects: maps_mix.bpf.o (two cgroup_skb programs and an XDP one,
/// ~190 processed insns) and sysctl_sockopt.bpf.o (sysctl with a string-parsing loop, ~190 processed insns).
/// Includes linking and line_info set-up, as `csbpf verify` does.
/// </summary>
[MemoryDiagnoser]
public class VerifierBenchmarks
{
    private BpfObjectFile _obj = new();

    [Params("maps_mix.bpf.o", "linux/sysctl_sockopt.bpf.o")]
    public string Fixture { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("CSharpBpf.sln not found above " + AppContext.BaseDirectory);
        _obj = BpfObjectFile.Read(File.ReadAllBytes(Path.Combine(dir.FullName, "tests", "fixtures", Fixture)));
    }

    [Benchmark]
    public IReadOnlyList<VerificationResult> VerifyObject() => BpfVerifier.VerifyObject(_obj);
}
