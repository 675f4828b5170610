using System;
using System.Collections.Generic;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Tests.Fixtures;
using Xunit;

namespace CSharpBpf.Object.Tests.Fuzz;

/// <summary>
/// Whatever the reader accepts, the writer can write and the reader reads back as the same model:
/// the reader must reject (BpfFormatException) any object whose references the model cannot
/// express - unnamed targets, duplicate section names, map references to no map, ...
/// </summary>
public class MutantRoundTripTests
{
    private const int CasesPerFixture = 400;

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Accepted_mutants_write_and_read_back_as_the_same_model(string fixture)
    {
        int seed = 7_000 + Array.IndexOf(FixtureFiles.Names, fixture);
        var mutator = new FixtureMutator(FixtureFiles.Bytes(fixture));
        var failures = new List<string>();
        int accepted = 0;
        for (int n = 0; n < CasesPerFixture && failures.Count < 5; n++)
        {
            var (bytes, what) = mutator.Mutate(seed, n);
            BpfObjectFile obj;
            try
            {
                obj = BpfObjectFile.Read(bytes);
            }
            catch (BpfFormatException)
            {
                continue;
            }
            accepted++;
            try
            {
                var again = BpfObjectFile.Read(obj.ToBytes());
                if (ObjectModelText.Describe(again) != ObjectModelText.Describe(obj))
                    failures.Add($"seed {seed} case {n} ({what}): the model changed across write/read");
            }
            catch (Exception e)
            {
                failures.Add($"seed {seed} case {n} ({what}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(accepted > 0, "no mutant was accepted: nothing was round-tripped");
    }
}
