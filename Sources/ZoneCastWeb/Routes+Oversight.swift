import Foundation
import Hummingbird

func addOversightRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
}
