using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using CSharpBpf.Object.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Object.Tests.Fuzz;

/// <summary>
/// Mutates every fixture (fixed seeds) and runs the whole read pipeline on each mutant: it must
/// either succeed or throw exactly <see cref="BpfFormatException"/> - never IndexOutOfRange,
/// ArgumentException, NullReference, overflow, out-of-memory, and never hang (the run is bounded
/// by a watchdog; the readers themselves have no unbounded loops).
/// A failure names the fixture and case number: FixtureMutator.Mutate(seed, case) reproduces it.
/// </summary>
public class ObjectFuzzTests
{
    private const int CasesPerFixture = 2500;
    private readonly ITestOutputHelper _output;

    public ObjectFuzzTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Mutated_fixture_reads_or_throws_BpfFormatException(string fixture)
    {
        int seed = 20261122 + Array.IndexOf(FixtureFiles.Names, fixture);
        var mutator = new FixtureMutator(FixtureFiles.Bytes(fixture));
        var failures = new List<string>();
        int ok = 0, rejected = 0;
        long slowestMs = 0;
        var run = Task.Run(() =>
        {
            for (int n = 0; n < CasesPerFixture; n++)
            {
                var (bytes, what) = mutator.Mutate(seed, n);
                var sw = Stopwatch.StartNew();
                try
                {
                    ObjectPipeline.Run(bytes);
                    ok++;
                }
                catch (BpfFormatException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    if (failures.Count < 10)
                        failures.Add($"{fixture} seed {seed} case {n} ({what}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
                slowestMs = Math.Max(slowestMs, sw.ElapsedMilliseconds);
            }
        });
        Assert.True(run.Wait(TimeSpan.FromMinutes(5)), $"{fixture}: the fuzz run did not finish in 5 minutes (a reader hangs?)");
        _output.WriteLine($"{fixture}: {ok} read, {rejected} rejected with BpfFormatException, slowest case {slowestMs} ms");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(rejected > CasesPerFixture / 20, $"only {rejected} mutants rejected: the mutator is not reaching the parsed bytes");
    }
}
