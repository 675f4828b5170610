using System;
using System.Collections.Generic;

namespace CSharpBpf.Cli.Linux;

/// <summary>Positional arguments plus "--name value" options, for the kernel verbs.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public CliArgs(string[] args, params string[] flagsWithoutValue)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                string name = a.Substring(2);
                if (Array.IndexOf(flagsWithoutValue, name) >= 0) _options[name] = "";
                else if (i + 1 < args.Length) _options[name] = args[++i];
                else throw new ArgumentException($"option --{name} needs a value");
            }
            else Positional.Add(a);
        }
    }

    public List<string> Positional { get; } = new();

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public bool Has(string name) => _options.ContainsKey(name);
}
