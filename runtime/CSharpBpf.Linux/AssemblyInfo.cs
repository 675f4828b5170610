using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("CSharpBpf.Linux.Tests")]
