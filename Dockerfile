# One LlmRouter node. Build from the repository root: docker build -t llm-router .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/LlmRouter.Silo.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV LLM_ROUTER_HOST=0.0.0.0 \
    LLM_ROUTER_PORT=8000
EXPOSE 8000
ENTRYPOINT ["dotnet", "LlmRouter.Silo.dll"]
