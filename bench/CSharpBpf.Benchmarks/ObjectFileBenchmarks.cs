using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// Reading and writing clang-built BPF objects: tcp_csreno.bpf.o (665 KB, mostly DWARF with
/// 12k DWARF relocations; the struct_ops fixture) and maps_mix.bpf.o (23 KB, eleven maps).
/// ElfOnly is the low-level pass; Object is the whole model (BTF, BTF.ext, maps, relocations).
/// </summary>
[MemoryDiagnoser]
public class ObjectFileBenchmarks
{
    private byte[] _bytes = Array.Empty<byte>();
    private BpfObjectFile _model = new();

    [Params("tcp_csreno.bpf.o", "maps_mix.bpf.o")]
    public string Fixture { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _bytes = File.ReadAllBytes(Path.Combine(FixturesDirectory(), Fixture));
        _model = BpfObjectFile.Read(_bytes);
    }

    [Benchmark(Baseline = true)]
    public ElfFile ElfOnly() => ElfReader.Read(_bytes);

    [Benchmark]
    public BpfObjectFile Object() => BpfObjectFile.Read(_bytes);

    [Benchmark]
    public byte[] WriteObject() => _model.ToBytes();

    private static string FixturesDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln"))) dir = dir.Parent;
        return dir is null
            ? throw new InvalidOperationException("CSharpBpf.sln not found above " + AppContext.BaseDirectory)
            : Path.Combine(dir.FullName, "tests", "fixtures");
    }
}
