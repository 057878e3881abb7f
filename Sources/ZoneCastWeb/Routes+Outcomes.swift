import Foundation
import Hummingbird

func addOutcomesRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
}
